// A file nested a thousand levels deep exhausted V8's stack inside yaml's composer: a fatal
// error (exit 134) that no try/catch catches. The depth is now checked in one pass before any
// parser runs; the CLI is run as a real process, since only a process shows a fatal error.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MAX_NESTING, tooDeepAt } from '../../server/src/manifest/depth';
import { parseManifest, parseManifestEach } from '../../server/src/manifest/parse';

const CLI = path.resolve(__dirname, '..', '..', 'cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-depth-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const deep = {
  'block.agent.yaml': Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}-`).join('\n') + '\n',
  'compact.agent.yaml': '- '.repeat(1000) + 'x\n',
  'flow.agent.yaml': `x: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
  'array.agent.json': `${'['.repeat(5000)}${']'.repeat(5000)}\n`,
  'object.agent.json': `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}\n`,
};

describe('nesting depth', () => {
  for (const [name, text] of Object.entries(deep)) {
    test(`${name}: lint and fmt --check report one syntax error with its line, and exit 1`, () => {
      const sub = path.join(dir, name.replace(/\W/g, '-'));
      fs.mkdirSync(sub);
      fs.writeFileSync(path.join(sub, name), text);
      for (const args of [
        ['lint', sub],
        ['fmt', '--check', sub],
      ]) {
        const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
        assert.equal(run.status, 1, `${args[0]}: ${run.stderr.slice(0, 400)}`);
        assert.doesNotMatch(run.stdout + run.stderr, /FATAL|Maximum call stack|\n\s+at /);
      }
      const lint = spawnSync(process.execPath, [CLI, 'lint', sub, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
      const all = JSON.parse(lint.stdout) as { code: string; message: string }[];
      assert.deepEqual(
        all.map((f) => f.code),
        ['syntax-error'],
      );
      assert.match(all[0]!.message, new RegExp(`over ${MAX_NESTING} levels`));
    });
  }

  test('ordinary manifests are never refused: brackets inside plain scalars and strings do not count', () => {
    const text = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: a[b{c\ndescription: "${'['.repeat(200)}"\nnote: '${'{'.repeat(200)}'\n# ${'['.repeat(200)}\nowners:\n  - value: user:alice\n`;
    assert.equal(tooDeepAt(text), undefined);
    assert.deepEqual(parseManifest('file:///a.agent.yaml', text).syntaxErrors, []);
  });

  test('JSON read by the fast scan is refused exactly where the depth check refuses it', () => {
    // The scan runs before the depth check and leaves deep containers to it: at every depth
    // around the limit, a file is refused if and only if the check says it nests too deep.
    for (let n = MAX_NESTING - 4; n <= MAX_NESTING + 2; n++) {
      for (const text of [`[${'{"a":'.repeat(n - 1)}1${'}'.repeat(n - 1)}]\n`, `${'{"a":['.repeat(n >> 1)}1${']}'.repeat(n >> 1)}\n`]) {
        const refused = parseManifest('file:///deep.agent.json', text).syntaxErrors.some((e) => /levels are not read/.test(e.message));
        assert.equal(refused, tooDeepAt(text) !== undefined, `${n} levels: ${text.slice(0, 40)}`);
      }
    }
  });

  test('block YAML read by the fast scan is refused exactly where the depth check refuses it', () => {
    // The scan keeps to the limit itself and runs the depth check only on what it leaves: nested
    // maps, maps in sequences and a flow sequence at the bottom, alone and as a file's second
    // document, are refused if and only if the check says they nest too deep, by lint's reader too.
    const maps = (n: number) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    const items = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `${'  '.repeat(i)}k${i}:` : `${'  '.repeat(i)}- x: 1`)).join('\n') + ' 1\n';
    const flow = (n: number) => Array.from({ length: n - 1 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' [a, b]\n';
    for (let n = MAX_NESTING - 3; n <= MAX_NESTING + 2; n++) {
      for (const shape of [maps, items, flow]) {
        for (const text of [shape(n), `a: 1\n---\n${shape(n)}`]) {
          const refused = parseManifest('file:///deep.agents.yaml', text).syntaxErrors.some((e) => /levels are not read/.test(e.message));
          assert.equal(refused, tooDeepAt(text) !== undefined, `${n} levels: ${JSON.stringify(text.slice(-60))}`);
          // lint's reader hands over the resources only of a file it reads whole, else parseManifest reads it.
          const each = parseManifestEach('file:///deep.agents.yaml', text, () => undefined);
          assert.equal(each === undefined || each.syntaxErrors.length > 0, refused, `${n} levels, lint's reader`);
        }
      }
    }
  });

  test('the limit is exact: MAX_NESTING levels are read, one more is refused', () => {
    const nested = (n: number) => Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
    assert.equal(tooDeepAt(nested(MAX_NESTING)), undefined);
    assert.equal(tooDeepAt(nested(MAX_NESTING + 1))?.depth, MAX_NESTING + 1);
  });
});
