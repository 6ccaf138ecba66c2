// Golden tests for the manifest formatter: comments, anchors, merge keys, tags, block scalars,
// flow collections, documents, BOM and CRLF kept; idempotent; the canonical key order moves whole
// entries and never changes what a file means; edits are minimal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { formatManifest } from '../../server/src/format/format';
import { minimalEdits } from '../../server/src/format/edits';
import { parseManifest } from '../../server/src/manifest/parse';
import { manifestArb } from '../fuzz/generators';
import { repoPath } from '../helpers/repo';

const DIR = repoPath('test/fixtures/format');
const read = (name: string) => fs.readFileSync(path.join(DIR, name), 'utf8');
const formatOf = (name: string) => (name.endsWith('.json') ? 'json' : 'yaml') as 'json' | 'yaml';

async function format(text: string, fmt: 'json' | 'yaml', orderKeys = false): Promise<string> {
  const r = await formatManifest(text, fmt, { orderKeys });
  assert.ok('text' in r, `formatting failed: ${'error' in r ? r.error : ''}`);
  return r.text;
}

const values = (text: string, fmt: 'json' | 'yaml' = 'yaml') => parseManifest(`file:///x.agent.${fmt}`, text).resources.map((r) => r.value);

describe('fmt: golden files', () => {
  const cases = fs.readdirSync(DIR).filter((f) => f.includes('.input.'));
  for (const input of cases) {
    for (const [suffix, orderKeys] of [
      ['expected', false],
      ['ordered', true],
    ] as const) {
      const expected = input.replace('.input.', `.${suffix}.`);
      if (!fs.existsSync(path.join(DIR, expected))) continue;
      it(`${input} → ${expected}`, async () => {
        const out = await format(read(input), formatOf(input), orderKeys);
        assert.equal(out, read(expected));
        assert.equal(await format(out, formatOf(input), orderKeys), out, 'formatting the result again changes nothing');
        assert.deepEqual(values(out, formatOf(input)).map(sortedJson), values(read(input), formatOf(input)).map(sortedJson), 'same resources, same values');
      });
    }
  }
  it('every golden input has at least one expectation', () => {
    for (const input of cases) {
      assert.ok(
        ['expected', 'ordered'].some((s) => fs.existsSync(path.join(DIR, input.replace('.input.', `.${s}.`)))),
        input,
      );
    }
  });
});

describe('fmt: behaviour', () => {
  it('the examples are formatted already (what we ship is what fmt writes)', async () => {
    const dir = repoPath('examples');
    const files = fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => /\.agents?\.(ya?ml|json)$/.test(f));
    assert.ok(files.length >= 3);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.equal(await format(text, formatOf(f)), text, `${f} is not formatted`);
    }
  });

  it('a file that does not parse is refused with its line, never rewritten', async () => {
    const text = 'schemas: [urn:x]\nname: [unclosed\nowners: x\n';
    const r = await formatManifest(text, 'yaml');
    assert.ok('error' in r);
    const parsed = parseManifest('file:///x.agent.yaml', text);
    assert.match(r.error, new RegExp(`line ${parsed.lines.positionAt(parsed.syntaxErrors[0]!.span.start).line + 1}\\b`));
  });

  it('an alias never moves above its anchor: that resource keeps its order', async () => {
    const out = await format(read('anchor-order.input.agent.yaml'), 'yaml', true);
    assert.match(out, /x-base: &n anchored-name\nname: \*n\n/);
    assert.equal(parseManifest('file:///x', out).syntaxErrors.length, 0);
  });

  it("formatting keeps every generated manifest's values and is idempotent (property)", async () => {
    for (const fmt of ['yaml', 'json'] as const) {
      await fc.assert(
        fc.asyncProperty(manifestArb(fmt), fc.boolean(), async (text, orderKeys) => {
          const r = await formatManifest(text, fmt, { orderKeys });
          if ('error' in r) return; // only files that do not parse are refused
          assert.deepEqual(values(r.text, fmt).map(sortedJson), values(text, fmt).map(sortedJson));
          const again = await formatManifest(r.text, fmt, { orderKeys });
          assert.ok('text' in again && again.text === r.text, 'idempotent');
        }),
        { numRuns: 60, seed: 20261201 },
      );
    }
  });
});

describe('fmt: minimal edits', () => {
  const apply = (text: string, edits: { start: number; end: number; text: string }[]) => {
    let out = text;
    for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  };

  it('touches only the lines that change', () => {
    const before = 'a: 1\nb:    2\nc: 3\nd: 4\ne:   5\n';
    const after = 'a: 1\nb: 2\nc: 3\nd: 4\ne: 5\n';
    const edits = minimalEdits(before, after);
    assert.equal(apply(before, edits), after);
    assert.equal(edits.length, 2);
    for (const e of edits) assert.ok(!before.slice(e.start, e.end).startsWith('a:') && !before.slice(e.start, e.end).includes('c: 3'));
  });

  it('insertions, deletions, CRLF and no final newline', () => {
    const pairs: [string, string][] = [
      ['x\r\ny\r\n', 'x\r\nnew\r\ny\r\n'],
      ['x\ny\nz', 'x\nz'],
      ['', 'a\n'],
      ['a\n', ''],
      ['one\ntwo', 'one\ntwo\n'],
    ];
    for (const [a, b] of pairs) assert.equal(apply(a, minimalEdits(a, b)), b, JSON.stringify([a, b]));
  });

  it('many changed lines still give the right text', () => {
    const before = Array.from({ length: 5000 }, (_, i) => `k${i}:    ${i}\n`).join('');
    const after = Array.from({ length: 5000 }, (_, i) => `k${i}: ${i}\n`).join('');
    assert.equal(apply(before, minimalEdits(before, after)), after);
  });
});

function sortedJson(v: Record<string, unknown>): string {
  return JSON.stringify(v, (_k, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as object).sort()) : x));
}
