// The first edit after opening a large file costs what later edits cost: only the edited document
// is bound again and checked by the resource rules (whose findings on the others are kept, those
// of a rule whose messages name lines too when it found nothing), the policy rules do not run on a
// manifest without policies, and the other documents keep their bindings. Counted, not timed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { lintCrossFile, lintFile, type LintOptions } from '../../server/src/lint/linter';
import { RULES } from '../../server/src/rules/registry';
import type { ResourceRule } from '../../server/src/rules/types';
import { ownedAgent } from '../helpers/ownedAgents';

const URI = 'file:///ws/typed.agents.yaml';
const DOCUMENTS = 40;

const agent = (i: number) => ownedAgent('typed', i, ['protocols:', '  - type: A2A', `    specificationUrl: https://a.example/${i}`]);

/** Counts the checks of every resource rule, by kind, while `run` runs. */
function countChecks(run: () => void): { kept: number; namesLines: number; policies: number } {
  const counts = { kept: 0, namesLines: 0, policies: 0 };
  const rules = RULES.filter((r): r is ResourceRule => r.scope === 'resource');
  const originals = rules.map((r) => r.check);
  rules.forEach((r, i) => {
    const kind = r.contextual === 'policies' ? 'policies' : r.contextual ? undefined : r.namesLines ? 'namesLines' : 'kept';
    (r as { check: ResourceRule['check'] }).check = (...args) => {
      if (kind) counts[kind]++;
      originals[i]!(...args);
    };
  });
  try {
    run();
  } finally {
    rules.forEach((r, i) => ((r as { check: ResourceRule['check'] }).check = originals[i]!));
  }
  return counts;
}

describe('typing: the first edit after opening', () => {
  test('checks and binds the edited document only, as later edits do', () => {
    let text = Array.from({ length: DOCUMENTS }, (_, i) => agent(i)).join('\n---\n') + '\n';
    const index = new WorkspaceIndex();
    // As the language server asks: a policies look-up that finds none, memo keys per version.
    const options: LintOptions = { policies: () => undefined };
    const validate = (version: number) =>
      countChecks(() => {
        index.set(URI, text, version);
        lintFile(index.get(URI)!, options, index.memo, 'settings');
        lintCrossFile(index, URI, options, `epoch:${index.crossGeneration}`);
      });
    const keptRules = RULES.filter((r) => r.scope === 'resource' && !r.contextual && !r.namesLines).length;
    const namesLinesRules = RULES.filter((r) => r.scope === 'resource' && r.namesLines).length;
    const opened = validate(1);
    assert.equal(opened.kept, DOCUMENTS * keptRules, 'opening checks every document');
    assert.equal(opened.policies, 0, 'no policy rule runs on a manifest without policies');
    const before = index.get(URI)!.resources;
    const generation = index.crossGeneration;
    for (let version = 2; version <= 4; version++) {
      // One character at the end of the middle document's displayName: every document after it moves.
      const at = text.indexOf('\n', text.indexOf(`displayName: Typed ${DOCUMENTS / 2}`));
      text = text.slice(0, at) + 'x' + text.slice(at);
      const edit = validate(version);
      assert.deepEqual(edit, { kept: keptRules, namesLines: namesLinesRules, policies: 0 }, `edit ${version - 1}: the edited document only`);
      const after = index.get(URI)!.resources;
      after.forEach((r, i) => (i === DOCUMENTS / 2 ? assert.notEqual(r, before[i]) : assert.equal(r, before[i], `document ${i} keeps its binding`)));
      assert.equal(index.crossGeneration, generation, "a displayName is no other file's business");
    }
  });
});
