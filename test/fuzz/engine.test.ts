// Fuzzing the engine (parse + every rule, through lintFiles): schema-generated manifests, then
// mutated, random noise, deep nesting, alias bombs, duplicate keys, huge scalars, a 10 MB file.
// Invariants (test/fuzz/invariants.ts): no throw, no internal-error, every span inside the
// document, syntax errors on one line, each lint within its budget. Seeded: see test/fuzz/seed.ts.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseManifest } from '../../server/src/manifest/parse';
import { lintFiles } from '../../server/src/lint/linter';
import { aliasBomb, manifestArb, mutatedArb, nested, noiseArb, resourceArb, serialize, type Format } from './generators';
import { checkFindings, lintChecked } from './invariants';
import { fuzzRuns, fuzzSeed, withCause } from './seed';

const seed = fuzzSeed('engine');
/** Per lint of a small file: generous for a loaded two-core machine; a hang or blow-up is far above it. */
const SMALL_BUDGET_MS = 2_000;
/** About 5 s on an idle two-core machine; the budget leaves room for a loaded CI box and catches a quadratic slide. */
const TEN_MB_BUDGET_MS = 120_000;
const counts: Record<string, number> = {};
const count = (what: string) => {
  counts[what] = (counts[what] ?? 0) + 1;
};

after(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(
    `[fuzz] engine: ${total} cases (${Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}), seed ${seed}`,
  );
});

function check<T>(property: fc.IProperty<T>, params: fc.Parameters<T>): void {
  try {
    fc.assert(property, params);
  } catch (e) {
    throw withCause(e);
  }
}

const uriFor = (format: Format, n = 0) => `file:///fuzz/case${n}.agents.${format}`;

describe('engine fuzzing', () => {
  for (const format of ['yaml', 'json'] as const) {
    test(`${format}: manifests generated from the schemas parse without a syntax error`, () => {
      check(
        fc.property(manifestArb(format), (text) => {
          count(`generated-${format}`);
          const { findings } = lintChecked(uriFor(format), text, SMALL_BUDGET_MS);
          const syntax = findings.filter((f) => f.code === 'syntax-error');
          assert.deepEqual(syntax, [], 'what yaml/JSON.stringify wrote is readable');
        }),
        { seed, numRuns: fuzzRuns(250) },
      );
    });

    test(`${format}: mutated manifests (truncated, bytes inserted, lines duplicated or re-indented)`, () => {
      check(
        fc.property(mutatedArb(format), (text) => {
          count(`mutated-${format}`);
          lintChecked(uriFor(format), text, SMALL_BUDGET_MS);
        }),
        { seed, numRuns: fuzzRuns(600) },
      );
    });
  }

  test('random noise as YAML and as JSON', () => {
    fc.assert(
      fc.property(noiseArb, fc.constantFrom<Format>('yaml', 'json'), (text, format) => {
        count('noise');
        lintChecked(uriFor(format), text, SMALL_BUDGET_MS);
      }),
      { seed, numRuns: fuzzRuns(500) },
    );
  });

  test('every prefix of a manifest (typing it from the start) is handled', () => {
    fc.assert(
      fc.property(manifestArb('yaml'), fc.integer({ min: 1, max: 7 }), (text, step) => {
        for (let i = 0; i <= text.length; i += step) {
          count('prefix');
          lintChecked(uriFor('yaml'), text.slice(0, i), SMALL_BUDGET_MS);
        }
      }),
      { seed, numRuns: fuzzRuns(8) },
    );
  });

  test('several files linted as one workspace (cross-file rules) keep their invariants', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.oneof(manifestArb('yaml'), mutatedArb('yaml'), manifestArb('json')), fc.boolean()), { minLength: 2, maxLength: 5 }),
        (files) => {
          count('workspace');
          const sources = files.map(([text], i) => ({
            uri: uriFor(text.trimStart().startsWith('{') || text.trimStart().startsWith('[') ? 'json' : 'yaml', i),
            text,
          }));
          // the workspace rules see duplicates when a file appears twice
          if (files[0]![1]) sources.push({ uri: 'file:///fuzz/copy.agents.yaml', text: sources[0]!.text });
          const started = performance.now();
          const result = lintFiles(sources, { now: new Date('2026-01-01T00:00:00Z') });
          for (const s of sources) checkFindings(s.text, result.get(s.uri) ?? [], s.uri);
          assert.ok(performance.now() - started < SMALL_BUDGET_MS * 2);
        },
      ),
      { seed, numRuns: fuzzRuns(150) },
    );
  });

  test('duplicate keys: exact duplicates are syntax errors on the key line', () => {
    fc.assert(
      fc.property(resourceArb(), fc.nat(), (resource, pick) => {
        count('duplicate-key');
        const text = serialize([resource], 'yaml');
        const lines = text.split('\n').filter((l) => /^[A-Za-z][\w$]*:/.test(l));
        fc.pre(lines.length > 0);
        const line = lines[pick % lines.length]!;
        const key = line.slice(0, line.indexOf(':'));
        const doubled = `${text}${key}: again\n`;
        const { findings } = lintChecked(uriFor('yaml'), doubled, SMALL_BUDGET_MS);
        assert.ok(
          findings.some((f) => f.code === 'syntax-error'),
          `duplicate "${key}" reported:\n${doubled}`,
        );
        const json = `{${JSON.stringify(key)}: 1, ${JSON.stringify(key)}: 2, "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"]}`;
        const jsonRun = lintChecked(uriFor('json'), json, SMALL_BUDGET_MS);
        assert.ok(
          jsonRun.findings.some((f) => f.code === 'syntax-error'),
          `JSON duplicate "${key}" reported`,
        );
      }),
      { seed, numRuns: fuzzRuns(100) },
    );
  });

  test('deep nesting (to 10 000 levels) is a finding or a value, never a stack overflow', () => {
    for (const kind of ['flow-seq', 'flow-map', 'block-map', 'block-seq', 'json'] as const) {
      for (const depth of [64, 1_000, 10_000]) {
        count('deep');
        const text = nested(kind, depth);
        const format: Format = kind === 'json' ? 'json' : 'yaml';
        lintChecked(`file:///fuzz/deep-${kind}-${depth}.agent.${format}`, text, 10_000);
      }
    }
  });

  test('alias bombs are refused as a syntax error on one line, quickly', () => {
    for (const [levels, fanout, flow] of [
      [9, 9, false],
      [10, 10, true],
      [30, 2, false],
      [6, 50, true],
    ] as const) {
      count('alias-bomb');
      const text = aliasBomb(levels, fanout, flow);
      const { findings, ms } = lintChecked(`file:///fuzz/bomb-${levels}x${fanout}.agent.yaml`, text, 3_000);
      const bomb = findings.find((f) => f.code === 'syntax-error' && /alias/i.test(f.message));
      assert.ok(bomb, `bomb ${levels}x${fanout} refused: ${findings.map((f) => f.code + ' ' + f.message).join('\n')}`);
      assert.ok(ms < 3_000);
    }
    // a few honest aliases still work
    count('alias-honest');
    const honest = lintChecked(
      'file:///fuzz/honest.agent.yaml',
      'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: a\nowners: &o [{value: user:alice}]\ndisplayName: &d Agent A\ndescription: *d\n',
      SMALL_BUDGET_MS,
    );
    assert.ok(!honest.findings.some((f) => f.code === 'syntax-error'));
  });

  test('huge scalars (1–2 MB) and long lines', () => {
    for (const mb of [1, 2]) {
      count('huge-scalar');
      const big = 'x'.repeat(mb * 1024 * 1024);
      lintChecked(`file:///fuzz/huge-${mb}.agent.yaml`, `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: big\ndescription: ${big}\n`, 15_000);
      lintChecked(
        `file:///fuzz/huge-${mb}.agent.json`,
        `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"], "name": "big", "description": "${big}"}`,
        15_000,
      );
      // unclosed: the syntax error must stay on its (very long) line, not run to the end of file
      const unclosed = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: "${big}\nowners: []\n`;
      lintChecked(`file:///fuzz/huge-unclosed-${mb}.agent.yaml`, unclosed, 15_000);
    }
  });

  test('a 10 MB manifest of generated resources is linted within its budget', () => {
    count('10mb');
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const doc = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nexternalId: agent-${i}\nname: agent-${i}\ndisplayName: Agent number ${i}\ndescription: ${'generated text '.repeat(20)}\nowners:\n  - value: user:alice\nsubject: spiffe://example.com/agents/${i}\nprotocols:\n  - type: A2A\n    specificationUrl: https://example.com/${i}/agent-card.json\n`;
      docs.push(doc);
      size += doc.length + 4;
    }
    const text = docs.join('---\n');
    const started = performance.now();
    const parsed = parseManifest('file:///fuzz/ten.agents.yaml', text);
    const parseMs = performance.now() - started;
    assert.equal(parsed.resources.length, docs.length);
    const { findings, ms } = lintChecked('file:///fuzz/ten.agents.yaml', text, TEN_MB_BUDGET_MS);
    console.log(`[fuzz] 10 MB manifest: ${docs.length} resources, parse ${Math.round(parseMs)} ms, lint ${Math.round(ms)} ms, ${findings.length} findings`);
    // 10 MB of a damaged file: the error stays on its line
    count('10mb-broken');
    const broken = text.slice(0, 5 * 1024 * 1024) + '\n  - [unclosed\n' + text.slice(5 * 1024 * 1024);
    lintChecked('file:///fuzz/ten-broken.agents.yaml', broken, TEN_MB_BUDGET_MS);
  });

  test('parseManifest alone never throws on noise, and its resources point inside the text', () => {
    fc.assert(
      fc.property(fc.oneof(noiseArb, mutatedArb('yaml'), mutatedArb('json')), fc.constantFrom<Format>('yaml', 'json'), (text, format) => {
        count('parse');
        const parsed = parseManifest(uriFor(format), text, format);
        for (const r of parsed.resources) assert.ok(r.root.span.start >= 0 && r.root.span.end <= text.length);
        for (const e of parsed.syntaxErrors) assert.ok(e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end);
      }),
      { seed, numRuns: fuzzRuns(500) },
    );
  });
});
