// The language server learns what an edit left alone from the client's change ranges
// (lsp/documentChanges.ts) instead of comparing the texts. What it learns must be true: the ends
// it gives are shared by the two texts, a parse given them equals a fresh parse, and when it
// cannot know (a whole-text change, a version it did not see) it says nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DocumentChanges } from '../../server/src/lsp/documentChanges';
import { parseManifest } from '../../server/src/manifest/parse';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { lintCrossFile, lintFile, type LintOptions } from '../../server/src/lint/linter';
import { ownedAgent } from '../helpers/ownedAgents';

const URI = 'file:///ws/changed.agents.yaml';
const START = Array.from({ length: 6 }, (_, i) => ownedAgent('changed', i, [`displayName: Agent ${i}`])).join('\n---\n') + '\n';

type Change = { whole: true; text: string } | { whole: false; from: number; to: number; text: string };

const INSERTS = ['', 'x', '\n', '---\n', 'displayName: typed\n', 'owners: [', ' # c', '\r\n'];

const changeArb: fc.Arbitrary<Change> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...INSERTS).map((text) => ({ whole: true as const, text: START + text })) },
  {
    weight: 12,
    // Offsets past the end and reversed ranges too: the client may send either, TextDocument clamps and orders them.
    arbitrary: fc.record({ whole: fc.constant(false as const), from: fc.nat(1200), to: fc.nat(1200), text: fc.constantFrom(...INSERTS) }),
  },
);

function positionIn(doc: TextDocument, offset: number) {
  // Past the end: a line beyond the last, as a client with a stale view might send.
  return offset > doc.getText().length ? { line: doc.lineCount + 2, character: 0 } : doc.positionAt(offset);
}

describe('document changes: what an edit left alone', () => {
  test('ends from change ranges are shared by both texts and give the parse a fresh parse gives', () => {
    fc.assert(
      fc.property(fc.array(fc.array(changeArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), fc.nat(5), (events, every) => {
        const changes = new DocumentChanges();
        let doc = changes.configuration.create(URI, 'scim-agents-yaml', 1, START);
        let analysed = { version: 1, parse: parseManifest(URI, START) };
        let whole = false;
        for (const [k, event] of events.entries()) {
          const contentChanges = event.map((c) => {
            if (c.whole) {
              whole = true;
              return { text: c.text };
            }
            return { range: { start: positionIn(doc, c.from), end: positionIn(doc, c.to) }, text: c.text };
          });
          doc = changes.configuration.update(doc, contentChanges, k + 2);
          // The server analyses some versions and skips others (a burst of keys, one analysis).
          if (k % (every + 1) !== every && k !== events.length - 1) continue;
          const text = doc.getText();
          const ends = changes.take(URI, analysed.version, doc.version);
          if (whole) assert.equal(ends, undefined, 'a whole-text change tells nothing');
          else {
            assert.ok(ends, 'every change since the analysed version was a range');
            const old = analysed.parse.text;
            assert.ok(ends.prefix + ends.suffix <= Math.min(text.length, old.length), 'the ends do not overlap');
            assert.equal(text.slice(0, ends.prefix), old.slice(0, ends.prefix), 'the prefix is shared');
            assert.equal(text.slice(text.length - ends.suffix), old.slice(old.length - ends.suffix), 'the suffix is shared');
          }
          const parse = parseManifest(URI, text, undefined, analysed.parse, ends);
          const fresh = parseManifest(URI, text);
          assert.deepEqual({ ...parse, lines: undefined }, { ...fresh, lines: undefined });
          assert.equal(parse.lines.lineCount, fresh.lines.lineCount);
          analysed = { version: doc.version, parse };
          whole = false;
        }
      }),
      { numRuns: 300 },
    );
  });

  test('a version it did not follow, a closed document or an unknown one: nothing', () => {
    const changes = new DocumentChanges();
    const doc = changes.configuration.create(URI, 'scim-agents-yaml', 1, START);
    const at = doc.positionAt(START.indexOf('Agent 3'));
    changes.configuration.update(doc, [{ range: { start: at, end: at }, text: 'x' }], 2);
    assert.equal(changes.take(URI, 0, 2), undefined, 'not from the analysed version');
    // take rebases on the version asked for, wrong or not: the next question starts there.
    changes.configuration.update(doc, [{ range: { start: at, end: at }, text: 'y' }], 3);
    // Version 3 shares with 2 all but the 'y' typed before the 'x'.
    const offset = START.indexOf('Agent 3');
    assert.deepEqual(changes.take(URI, 2, 3), { prefix: offset, suffix: START.length - offset + 1 });
    assert.equal(changes.take(URI, 3, 4), undefined, 'a version not seen yet');
    changes.forget(URI);
    assert.equal(changes.take(URI, 4, 4), undefined);
    assert.equal(changes.take('file:///ws/other.agents.yaml', 1, 2), undefined);
  });

  test('a range past the end of the text (a stale view) leaves the document whole', () => {
    const changes = new DocumentChanges();
    const doc = changes.configuration.create(URI, 'scim-agents-yaml', 1, 'a: 1\nb: 2\n');
    // Two changes in one event, the second's range in lines the first removed.
    changes.configuration.update(
      doc,
      [
        { range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, text: 'c: 3' },
        { range: { start: { line: 10, character: 1 }, end: { line: 0, character: 4 } }, text: '\r\nd: 4' },
      ],
      2,
    );
    assert.equal(doc.getText(), 'c: 3\r\nd: 4');
    assert.equal(doc.lineCount, 2);
    assert.deepEqual(doc.positionAt(doc.getText().length), { line: 1, character: 4 });
    assert.equal(doc.offsetAt({ line: 1, character: 2 }), 8);
    assert.deepEqual(changes.take(URI, 1, 2), { prefix: 0, suffix: 0 });
  });

  test('a parse given ends the texts cannot share compares them instead', () => {
    const before = parseManifest(URI, START);
    const text = START.replace('Agent 2', 'Agent 2 renamed');
    const fresh = parseManifest(URI, text);
    for (const ends of [
      { prefix: text.length, suffix: text.length },
      { prefix: -1, suffix: 0 },
      { prefix: 0, suffix: START.length + 1 },
    ]) {
      const parse = parseManifest(URI, text, undefined, before, ends);
      assert.deepEqual({ ...parse, lines: undefined }, { ...fresh, lines: undefined }, JSON.stringify(ends));
    }
  });
});

describe('rehearsing an edit', () => {
  // Valid documents (START repeats displayName, a syntax error, which leaves no resource to rehearse on).
  const DOCUMENTS = Array.from({ length: 6 }, (_, i) => ownedAgent('rehearsed', i, [`description: Agent ${i}`])).join('\n---\n') + '\n';
  /** Rehearses on `text` and checks that what was parsed and found stays as it was (`valid`: the text has resources and no syntax error). */
  const rehearse = (text: string, uri = URI, valid = true) => {
    const index = new WorkspaceIndex();
    const options: LintOptions = { policies: () => ({}) };
    index.set(uri, text, 1);
    const before = index.get(uri)!;
    const findings = lintFile(before, options, index.memo, 'settings');
    const crossFindings = lintCrossFile(index, uri, options, `epoch:${index.crossGeneration}`);
    const generation = index.crossGeneration;
    const resources = [...before.resources];
    if (valid) assert.ok(resources.length > 0 && before.manifest.syntaxErrors.length === 0, 'resources to rehearse on');
    index.rehearseEdit(uri);
    const after = index.get(uri)!;
    assert.equal(after.version, 1);
    assert.equal(after.manifest.text, text);
    assert.deepEqual(after.manifest.syntaxErrors, before.manifest.syntaxErrors);
    assert.equal(index.crossGeneration, generation, "a rehearsal is no other file's business");
    assert.deepEqual(lintFile(after, options, index.memo, 'settings'), findings);
    assert.deepEqual(lintCrossFile(index, uri, options, `epoch:${index.crossGeneration}`), crossFindings);
    assert.deepEqual(
      after.resources.map((r) => r.normalized),
      resources.map((r) => r.normalized),
    );
    assert.deepEqual(
      after.resources.map((r) => r.resource.root.span),
      resources.map((r) => r.resource.root.span),
      'every document where it was',
    );
    return { index, resources, after };
  };

  test('a file of documents is edited and restored: the same resources, one bound anew, the same findings', () => {
    const { resources, after } = rehearse(DOCUMENTS);
    // A space after the first `---` past the middle: the document it starts is read again.
    const marker = DOCUMENTS.indexOf('\n---', DOCUMENTS.length >> 1);
    const rehearsed = resources.findIndex((r) => r.resource.root.span.start > marker);
    assert.ok(rehearsed > 0);
    const fresh = after.resources.map((r, i) => (r === resources[i] ? -1 : i)).filter((i) => i >= 0);
    assert.deepEqual(fresh, [rehearsed], 'only the document rehearsed on is bound anew');
  });

  test('a file without a `---` after its middle, and JSON, have their middle retyped unchanged', () => {
    const one = ownedAgent('alone', 0, ['description: Alone']);
    const json = JSON.stringify([{ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'], name: 'a' }]);
    // rehearse() checks that the same resources, spans and findings come out.
    rehearse(one);
    rehearse(json, 'file:///ws/changed.agents.json');
  });

  test('any file of documents, odd markers and broken documents too: what was parsed and found stays as it was', () => {
    // Pieces a file may hold: documents of every kind the parse takes, markers with content or a
    // comment on their line, a block scalar (whose `---` lines end it), CR LF, a broken document.
    const pieces = [
      ownedAgent('p', 1, ['description: one']),
      ownedAgent('p', 2, ['description: |', '  two', '  lines']),
      ownedAgent('p', 3, ['description: "three # not a comment"']),
      'schemas: [urn:ietf:params:scim:schemas:core:2.0:User]\nuserName: dana\n',
      'owners: [\n',
      'name: a\nname: b\n',
      '',
      '# only a comment\n',
      ownedAgent('p', 4, ['description: four']).replace(/\n/g, '\r\n'),
    ];
    const separators = ['\n---\n', '\n--- \n', '\n--- # marker\n', '\n---\n\n'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...pieces), fc.constantFrom(...separators)), { minLength: 1, maxLength: 7 }), (parts) => {
        rehearse(parts.map(([piece, sep], i) => (i === 0 ? piece : sep + piece)).join(''), URI, false);
      }),
      { numRuns: 300 },
    );
  });

  test('an unknown file: nothing to rehearse, nothing indexed', () => {
    const index = new WorkspaceIndex();
    index.rehearseEdit('file:///ws/unknown.agents.yaml');
    assert.equal(index.get('file:///ws/unknown.agents.yaml'), undefined);
  });
});
