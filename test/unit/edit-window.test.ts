// An edit of one document costs that document, whatever the size of the file and whichever edit
// it is: the linter looks up what it keeps for the bindings the edit made anew only (the index
// records them, memo.edits), and the findings are those of a fresh lint. Counted, not timed: the
// first edit after opening a 5,000-document file was twice as slow as later ones because loops
// over every resource ran cold (issue 15).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { lintCrossFile, lintFile, type LintOptions } from '../../server/src/lint/linter';
import { ownedAgent } from '../helpers/ownedAgents';

const URI = 'file:///ws/window.agents.yaml';

const agent = (i: number) => ownedAgent('window', i);

const options: LintOptions = { policies: () => undefined };

/** Memo look-ups per edit (own rules, cross-file rules) over four edits of the middle document, and the last findings. */
function lookUps(documents: number): { perEdit: { own: number; cross: number }[]; findings: unknown } {
  let text = Array.from({ length: documents }, (_, i) => agent(i)).join('\n---\n') + '\n';
  const index = new WorkspaceIndex();
  const counts = { own: 0, cross: 0 };
  const memo = index.memo;
  const own = memo.resourceFindings.bind(memo);
  const cross = memo.crossFindings.bind(memo);
  memo.resourceFindings = (...args) => (counts.own++, own(...args));
  memo.crossFindings = (...args) => (counts.cross++, cross(...args));
  const validate = (version: number) => {
    counts.own = counts.cross = 0;
    index.set(URI, text, version);
    const found = [...lintFile(index.get(URI)!, options, memo, 'settings'), ...lintCrossFile(index, URI, options, `epoch:${index.crossGeneration}`)];
    return { counts: { ...counts }, found };
  };
  validate(1);
  const perEdit: { own: number; cross: number }[] = [];
  let last: unknown;
  for (let version = 2; version <= 5; version++) {
    const at = text.indexOf('\n', text.indexOf(`displayName: Window ${documents / 2}`));
    text = text.slice(0, at) + 'x' + text.slice(at);
    const { counts: c, found } = validate(version);
    perEdit.push(c);
    last = found;
  }
  // What a fresh index finds on the last text.
  const fresh = new WorkspaceIndex();
  fresh.set(URI, text, 5);
  const expected = [...lintFile(fresh.get(URI)!, options, fresh.memo, 'settings'), ...lintCrossFile(fresh, URI, options, `epoch:${fresh.crossGeneration}`)];
  assert.deepEqual(last, expected, 'the same findings as a fresh lint');
  return { perEdit, findings: last };
}

describe('an edit of one document', () => {
  test('looks up the edited binding only, on the first edit as on later ones, in a small file as in a large one', () => {
    const small = lookUps(20);
    const large = lookUps(200);
    const first = large.perEdit[0]!;
    assert.ok(first.own > 0 && first.cross > 0, 'the edited binding is looked up');
    for (const [i, c] of large.perEdit.entries()) assert.deepEqual(c, first, `edit ${i + 1} looks up as much as the first`);
    assert.deepEqual(small.perEdit, large.perEdit, 'ten times the documents, the same look-ups');
    assert.ok(first.cross < 20, 'not one per document');
  });
});
