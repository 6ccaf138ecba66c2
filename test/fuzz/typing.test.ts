// Typing in a multi-document manifest: the index reuses the documents an edit did not touch
// (moved ones shifted, with their bindings and findings), so after any sequence of random edits
// (characters and whole lines inserted or deleted, `---` markers added, removed or broken, which
// splits and merges documents) every finding must equal a fresh validation of the new text,
// ranges included. The documents carry findings of their own rules and of cross-document ones
// (duplicate externalId and names, references between documents), so a shift that is wrong, late
// or missing shows up as a moved range. Seeded: see test/fuzz/seed.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { lintCrossFile, lintFile, type Finding } from '../../server/src/lint/linter';
import { LineIndex } from '../../server/src/manifest/text';
import { fuzzRuns, fuzzSeed, withCause } from './seed';

const seed = fuzzSeed('typing');
const URI = 'file:///ws/typing.agents.yaml';

function agent(i: number): string {
  // Some schema URNs are miswritten (wrong case, unknown): findings on the `schemas` entry's spans.
  const schema = i % 7 === 1 ? 'urn:ietf:params:scim:schemas:core:2.0:agent' : 'urn:ietf:params:scim:schemas:core:2.0:Agent';
  return [
    `schemas: [${schema}${i % 7 === 2 ? ', urn:example:unknown:1.0:Thing' : ''}]`,
    // Two pairs share an externalId, one a name: cross-document findings on both sides.
    `externalId: t-${i % 5 === 4 ? i - 1 : i}`,
    `name: ${i === 6 ? 't-2' : `t-${i}`}`,
    `displayName: Typed ${i}`,
    ...(i % 3 === 0 ? ['Description: wrong case'] : []),
    // A duplicate attribute: its message names the line of the first one.
    ...(i % 6 === 5 ? ['DisplayName: again'] : []),
    'owners:',
    `  - value: user:${i % 4 === 0 ? 'nobody' : 'alice'}`,
    'protocols:',
    '  - type: A2A',
    `    specificationUrl: https://a.example/${i}`,
  ].join('\n');
}

function application(i: number, agents: number): string {
  return [
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]',
    `externalId: app-${i}`,
    `name: app-${i}`,
    'agents:',
    `  - value: agent:t-${(i * 3) % agents}`,
    '    type: owned',
    `  - value: agent:missing-${i}`,
    '    type: owned',
  ].join('\n');
}

function initial(agents: number): string {
  const docs = ['schemas: [urn:ietf:params:scim:schemas:core:2.0:User]\nuserName: alice\nexternalId: alice'];
  for (let i = 0; i < agents; i++) docs.push(agent(i));
  for (let i = 0; i < 2; i++) docs.push(application(i, agents));
  return docs.join('\n---\n') + '\n';
}

type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insertLine'; line: number; text: string }
  | { kind: 'deleteLines'; line: number; count: number };

// Also what makes a file be read whole (a `%` directive, a lone CR) and comment directives
// (scim-agents-…): an edit that makes or breaks one anywhere must be seen (parse.ts looks for
// them around the edit only).
const LINES = [
  '---',
  'displayName: inserted',
  'externalId: t-1',
  '  - value: agent:t-2',
  '# a comment',
  '',
  'name: t-3',
  'description: x',
  '# scim-agents-disable-next-line',
  '%YAML 1.2',
];
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.constantFrom('x', 'ab', ' ', '\n', '-', ':', '\n---\n', '-- ', '\r', '%', '# scim-agents-'),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant('insertLine' as const), line: fc.nat(), text: fc.constantFrom(...LINES) }),
  fc.record({ kind: fc.constant('deleteLines' as const), line: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
);

function apply(text: string, e: Edit): string {
  if (e.kind === 'insert') {
    const at = e.at % (text.length + 1);
    return text.slice(0, at) + e.text + text.slice(at);
  }
  if (e.kind === 'delete') {
    const at = e.at % (text.length + 1);
    return text.slice(0, at) + text.slice(at + e.length);
  }
  const lines = text.split('\n');
  const line = e.line % lines.length;
  if (e.kind === 'insertLine') lines.splice(line, 0, e.text);
  else lines.splice(line, e.count);
  return lines.join('\n');
}

const strip = (fs: readonly Finding[]) =>
  fs.map(({ code, span, message, severity }) => ({ code, span: { start: span.start, end: span.end }, message, severity }));

/** As the language server asks: own findings memoised per settings key, cross-file ones per epoch. */
function lintKept(index: WorkspaceIndex): { own: Finding[]; cross: Finding[] } {
  const file = index.get(URI)!;
  return { own: lintFile(file, {}, index.memo, 'k'), cross: lintCrossFile(index, URI, {}, `e:${index.crossGeneration}`) };
}

function lintFresh(text: string): { own: Finding[]; cross: Finding[] } {
  const fresh = new WorkspaceIndex();
  fresh.set(URI, text);
  return { own: lintFile(fresh.get(URI)!), cross: lintCrossFile(fresh, URI) };
}

describe('fuzz: typing in a multi-document manifest', () => {
  test('after every random edit, findings equal a fresh validation of the new text, ranges included', () => {
    try {
      fc.assert(
        fc.property(fc.integer({ min: 4, max: 14 }), fc.array(editArb, { minLength: 1, maxLength: 12 }), (agents, edits) => {
          let text = initial(agents);
          const index = new WorkspaceIndex();
          index.set(URI, text, 1);
          lintKept(index);
          edits.forEach((e, k) => {
            text = apply(text, e);
            index.set(URI, text, k + 2);
            const got = lintKept(index);
            const want = lintFresh(text);
            assert.deepEqual(strip(got.own), strip(want.own), `own findings after edit ${k + 1} (${JSON.stringify(e)})`);
            assert.deepEqual(strip(got.cross), strip(want.cross), `cross-document findings after edit ${k + 1} (${JSON.stringify(e)})`);
          });
        }),
        { seed, numRuns: fuzzRuns(150) },
      );
    } catch (e) {
      throw withCause(e);
    }
  });

  test('typing a line in the middle, then in the first document, keeps every range exact', () => {
    // The benchmark's burst: one character at a time at the end of a `displayName` line.
    let text = initial(30);
    const index = new WorkspaceIndex();
    index.set(URI, text, 1);
    lintKept(index);
    let v = 1;
    for (const target of ['displayName: Typed 15', 'displayName: Typed 0']) {
      for (let k = 0; k < 8; k++) {
        const at = text.indexOf(target) + target.length;
        text = text.slice(0, at) + 'x' + text.slice(at);
        index.set(URI, text, ++v);
        const got = lintKept(index);
        const want = lintFresh(text);
        assert.ok(want.cross.length > 0 && want.own.length > 0, 'the file has findings after the edit to check');
        assert.deepEqual(strip(got.own), strip(want.own), `own findings after key ${v}`);
        assert.deepEqual(strip(got.cross), strip(want.cross), `cross-document findings after key ${v}`);
      }
    }
  });
});

describe('fuzz: line index after an edit', () => {
  test('LineIndex.after gives the line starts of a fresh index (LF, CRLF, lone CR)', () => {
    const textArb = fc.array(fc.constantFrom('a', 'b', ' ', '\n', '\r', '\r\n', '---'), { maxLength: 40 }).map((xs) => xs.join(''));
    try {
      fc.assert(
        // Repeated into long texts too, so the block-wise comparison runs (blocks of 4,096).
        fc.property(textArb, fc.constantFrom(1, 1, 500), fc.nat(), fc.nat({ max: 6 }), textArb, (unit, times, at, cut, inserted) => {
          const text = unit.repeat(times);
          const i = at % (text.length + 1);
          const edited = text.slice(0, i) + inserted + text.slice(i + cut);
          const got = LineIndex.after(new LineIndex(text), edited);
          const want = new LineIndex(edited);
          assert.equal(got.lineCount, want.lineCount);
          for (let line = 0; line < want.lineCount; line++) assert.equal(got.lineStart(line), want.lineStart(line), `line ${line}`);
        }),
        { seed, numRuns: fuzzRuns(2000) },
      );
    } catch (e) {
      throw withCause(e);
    }
  });

  test('a chain of edits, each indexed after the one before, gives the positions of a fresh index', () => {
    // Each index keeps the previous one's starts as moved runs; more edits than the runs it keeps
    // before writing them out again (so that is covered too).
    const piece = fc.array(fc.constantFrom('a', ' ', '\n', '\r', '\r\n', '---'), { maxLength: 6 }).map((xs) => xs.join(''));
    const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 8 }), inserted: piece });
    try {
      fc.assert(
        fc.property(piece, fc.constantFrom(1, 30), fc.array(edit, { minLength: 40, maxLength: 80 }), (unit, times, edits) => {
          let text = unit.repeat(times);
          let got = new LineIndex(text);
          for (const { at, cut, inserted } of edits) {
            const i = at % (text.length + 1);
            text = text.slice(0, i) + inserted + text.slice(i + cut);
            got = LineIndex.after(got, text);
          }
          const want = new LineIndex(text);
          assert.equal(got.lineCount, want.lineCount);
          for (let line = 0; line < want.lineCount; line++) assert.equal(got.lineStart(line), want.lineStart(line), `line ${line}`);
          for (let offset = 0; offset <= text.length; offset++) assert.deepEqual(got.positionAt(offset), want.positionAt(offset), `offset ${offset}`);
        }),
        { seed, numRuns: fuzzRuns(300) },
      );
    } catch (e) {
      throw withCause(e);
    }
  });
});
