import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseManifest } from '../../server/src/manifest/parse';
import type { ParsedManifest } from '../../server/src/manifest/model';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { lintWorkspace } from '../../server/src/lint/linter';

const URI = 'file:///ws/many.agents.yaml';

function agent(i: number): string {
  return [
    `# agent ${i}`,
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]',
    `externalId: a-${i}`,
    `name: a-${i}`,
    'owners:',
    '  - value: user:alice',
    `subject: a-${i}`,
    'description: |',
    `  block text ${i}`,
  ].join('\n');
}

function file(n: number, eol = '\n'): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) docs.push(agent(i));
  return docs.join('\n---\n').replace(/\n/g, eol) + eol;
}

/**
 * Incremental and fresh parses must agree on everything, spans and line index included (the
 * index by what it answers: after an edit it holds the previous index's starts as moved runs).
 */
function assertSameAsFresh(incremental: ParsedManifest, text: string): void {
  const fresh = parseManifest(URI, text);
  assert.deepEqual({ ...incremental, lines: undefined }, { ...fresh, lines: undefined });
  const starts = (lines: ParsedManifest['lines']) => Array.from({ length: lines.lineCount }, (_, line) => lines.lineStart(line));
  assert.deepEqual(starts(incremental.lines), starts(fresh.lines), 'the same line starts');
  for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(incremental.lines.positionAt(offset), fresh.lines.positionAt(offset));
}

// Lines an edit may insert: plain values, document markers, broken syntax, aliases, comments.
const LINES = [
  '---',
  '--- # marker with a comment',
  '...',
  'displayName: Edited',
  'Name: wrong-case',
  'owners: [',
  'subject: "unterminated',
  'anchor: &a {x: 1}',
  'alias: *a',
  '  - value: user:bob',
  '# a comment',
  '%YAML 1.2',
  '- just a list item',
  '',
  '  indented: value',
  'description: >',
  '---x not a marker',
];

type Edit = { kind: 'replace' | 'insert' | 'delete'; at: number; line: number };

const editArb: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('replace', 'insert', 'delete'),
  at: fc.nat(),
  line: fc.nat(LINES.length - 1),
});

function applyEdit(text: string, edit: Edit, eol: string): string {
  const lines = text.split(eol);
  const at = edit.at % lines.length;
  if (edit.kind === 'replace') lines[at] = LINES[edit.line]!;
  else if (edit.kind === 'insert') lines.splice(at, 0, LINES[edit.line]!);
  else if (lines.length > 1) lines.splice(at, 1);
  return lines.join(eol);
}

describe('manifest: incremental parsing', () => {
  test('edit sequences give the same result as a fresh parse (LF and CRLF), spans included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom('\n', '\r\n'), fc.array(editArb, { minLength: 1, maxLength: 12 }), (n, eol, edits) => {
        let text = file(n, eol);
        let previous = parseManifest(URI, text);
        assertSameAsFresh(previous, text);
        for (const edit of edits) {
          text = applyEdit(text, edit, eol);
          const next = parseManifest(URI, text, undefined, previous);
          assertSameAsFresh(next, text);
          previous = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  test('documents an edit did not touch are reused as they are; the ones after it move in place', () => {
    const text = file(5);
    const before = parseManifest(URI, text);
    const startBefore = before.resources[3]!.root.span.start;
    const edited = text.replace('subject: a-2', 'subject: a-2-longer');
    const after = parseManifest(URI, edited, undefined, before);
    assert.equal(after.resources.length, 5);
    assert.equal(after.resources[0], before.resources[0]);
    assert.equal(after.resources[1], before.resources[1]);
    assert.notEqual(after.resources[2], before.resources[2]);
    assert.equal(after.resources[3], before.resources[3], 'the same resource, nodes and all');
    assert.equal(after.resources[3]!.root.span.start, startBefore + '-longer'.length);
    assertSameAsFresh(after, edited);
  });

  test('an edit that shortens the file shrinks the alias budget: a kept resource over it is refused, as a fresh parse refuses it', () => {
    // A resource of many aliased values (about 10^5) in a file long enough that its budget (4 per
    // character) decides; the file's length is tuned, character by character, to just where the
    // resource is read.
    const bomb = [
      'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]',
      'name: expanded',
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ].join('\n');
    const withPadding = (n: number) => `${file(3)}---\n${bomb}\n---\n${agent(9)}\ndisplayName: ${'p'.repeat(n)}\n`;
    const refused = (m: ParsedManifest) => m.syntaxErrors.some((e) => e.message.includes('looks like an alias bomb'));
    let [lo, hi] = [0, 200_000];
    assert.ok(refused(parseManifest(URI, withPadding(lo))) && !refused(parseManifest(URI, withPadding(hi))), 'refused in a short file, read in a long one');
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (refused(parseManifest(URI, withPadding(mid)))) lo = mid;
      else hi = mid;
    }
    // Read at `hi` characters of padding; one fewer, in the last document, and it is refused.
    const read = parseManifest(URI, withPadding(hi));
    assert.ok(!refused(read));
    const shortened = parseManifest(URI, withPadding(lo), undefined, read);
    assert.ok(refused(shortened), 'refused after the edit, as fresh');
    assertSameAsFresh(shortened, withPadding(lo));
    const again = parseManifest(URI, withPadding(hi), undefined, shortened);
    assert.ok(!refused(again));
    assertSameAsFresh(again, withPadding(hi));
    // Shortening by a character where the budget does not decide reads the resource again.
    const text = withPadding(hi + 10);
    const longer = parseManifest(URI, text);
    const edited = text.replace('subject: a-1\n', 'subject: a\n');
    assertSameAsFresh(parseManifest(URI, edited, undefined, longer), edited);
  });

  test('adding and removing --- markers renumbers resources like a fresh parse', () => {
    const text = file(3);
    const first = parseManifest(URI, text);
    const split = text.replace('subject: a-1\n', 'subject: a-1\n---\n');
    const second = parseManifest(URI, split, undefined, first);
    assertSameAsFresh(second, split);
    const joined = split.replace(/\n---\n# agent 2/, '\n# agent 2');
    const third = parseManifest(URI, joined, undefined, second);
    assertSameAsFresh(third, joined);
    assert.ok(third.syntaxErrors.length > 0, 'two documents run together repeat keys: a syntax error');
  });

  test('a syntax error in one document is reported as a fresh parse reports it, and clears when fixed', () => {
    const text = file(4);
    const first = parseManifest(URI, text);
    const broken = text.replace('owners:\n  - value: user:alice\nsubject: a-1', 'owners: [\n  - value: user:alice\nsubject: a-1');
    const second = parseManifest(URI, broken, undefined, first);
    assertSameAsFresh(second, broken);
    assert.ok(second.syntaxErrors.length > 0);
    const third = parseManifest(URI, text, undefined, second);
    assertSameAsFresh(third, text);
    assert.equal(third.syntaxErrors.length, 0);
    assert.equal(third.resources[0], first.resources[0], 'documents untouched by the error are still reused');
  });

  test('a workspace index reusing bindings lints exactly like a fresh index', () => {
    let text = file(8);
    const index = new WorkspaceIndex();
    index.set(URI, text, 1);
    const edits = [
      (t: string) => t.replace('name: a-3', 'Name: a-3'),
      (t: string) => t.replace('subject: a-5\n', ''),
      (t: string) => t.replace('externalId: a-6', 'externalId: a-1'),
      (t: string) => t.replace('# agent 7', '# agent 7\nunknownThing: 1'),
      (t: string) => t.replace('user:alice', 'group:nobody'),
    ];
    let version = 1;
    for (const edit of edits) {
      text = edit(text);
      index.set(URI, text, ++version);
      const fresh = new WorkspaceIndex();
      fresh.set(URI, text, version);
      const strip = (m: ReturnType<typeof lintWorkspace>) => m.get(URI)!.map(({ code, span, message, severity }) => ({ code, span, message, severity }));
      const got = strip(lintWorkspace(index));
      assert.deepEqual(got, strip(lintWorkspace(fresh)));
      assert.ok(got.length > 0, 'each edit introduces a finding');
    }
  });

  test('changing the profile setting binds every file again', () => {
    const text = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot\n';
    const index = new WorkspaceIndex('auto');
    index.set(URI, text, 1);
    assert.equal(index.get(URI)!.resources[0]!.profile.id, 'abbey-00');
    index.setProfile('wzdk-00');
    assert.equal(index.get(URI)!.resources[0]!.profile.id, 'wzdk-00');
    assert.equal(index.get(URI)!.resources[0]!.profileSource, 'setting');
  });
});
