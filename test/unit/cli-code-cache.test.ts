/**
 * The executable (dist/cli.js, cli/launch.ts) runs the CLI's bundle from the code cache the build
 * made, and only from a cache made from exactly that bundle and not damaged: with any other, or
 * none, it compiles the bundle itself and prints the same. A cache it writes is whole.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DIST = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.resolve(DIST, '..', 'examples');
// The launcher's switches (cli/launch.ts runs on import, so they are not imported).
const REPORT = 'SCIM_AGENTS_REPORT_CODE_CACHE';
const WRITE = 'SCIM_AGENTS_WRITE_CODE_CACHE';

function run(dir: string, args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; cache: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'cli.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', [REPORT]: '1', ...env },
  });
  const cache = /^scim-agents: code cache (.+)$/m.exec(r.stderr)?.[1] ?? `(not said: ${r.stderr.slice(0, 200)})`;
  return { code: r.status, stdout: r.stdout, cache };
}

/** The launcher and the bundle in a folder of their own, with the build's cache (made for dist/, not for here). */
function copyOfCli(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-code-cache-'));
  for (const file of ['cli.js', 'cli-main.js', 'cli-main.js.cache', 'read-worker.js', 'lint-worker.js', 'x509.js'])
    fs.copyFileSync(path.join(DIST, file), path.join(dir, file));
  return dir;
}

/** A folder of manifests with findings: the examples, a broken file and an agent without owners. */
function manifests(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-code-cache-files-'));
  fs.cpSync(EXAMPLES, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'broken.agent.yaml'), 'name: [unclosed\n');
  fs.writeFileSync(path.join(dir, 'lonely.agent.yaml'), 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: lonely\n');
  return dir;
}

test('the built CLI runs from its code cache and prints what the bundle prints compiled afresh', () => {
  const files = manifests();
  try {
    const cached = run(DIST, ['lint', files, '--format', 'json']);
    assert.equal(cached.cache, 'used');
    const fresh = spawnSync(process.execPath, [path.join(DIST, 'cli-main.js'), 'lint', files, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(cached.code, 1);
    assert.equal(fresh.status, cached.code);
    assert.equal(fresh.stdout, cached.stdout);
    assert.match(cached.stdout, /owner-missing/);
  } finally {
    fs.rmSync(files, { recursive: true, force: true });
  }
});

test('a cache of another bundle, a damaged one or none is not used, and the output is the same', () => {
  const files = manifests();
  const dir = copyOfCli();
  try {
    // The build's cache, moved with the bundle: V8 would name dist/ in stack traces, so it is not used.
    const moved = run(dir, ['lint', files, '--format', 'json']);
    assert.equal(moved.cache, 'other bundle or place');
    run(dir, ['--version'], { [WRITE]: '1' });
    const expected = run(dir, ['lint', files, '--format', 'json']);
    assert.equal(expected.cache, 'used');
    assert.deepEqual(moved, { ...expected, cache: 'other bundle or place' });
    const cacheFile = path.join(dir, 'cli-main.js.cache');
    const cache = fs.readFileSync(cacheFile);

    // One byte of V8's data changed.
    const damaged = Buffer.from(cache);
    damaged[damaged.length >> 1] ^= 0xff;
    fs.writeFileSync(cacheFile, damaged);
    assert.deepEqual(run(dir, ['lint', files, '--format', 'json']), { ...expected, cache: 'damaged' });
    // Cut short.
    fs.writeFileSync(cacheFile, cache.subarray(0, cache.length - 100));
    assert.deepEqual(run(dir, ['lint', files, '--format', 'json']), { ...expected, cache: 'damaged' });
    fs.writeFileSync(cacheFile, cache.subarray(0, 70));
    assert.deepEqual(run(dir, ['lint', files, '--format', 'json']), { ...expected, cache: 'damaged' });

    // The bundle changed since the cache was made (here by a comment of the same length as another).
    fs.writeFileSync(cacheFile, cache);
    fs.appendFileSync(path.join(dir, 'cli-main.js'), '\n// changed\n');
    assert.deepEqual(run(dir, ['lint', files, '--format', 'json']), { ...expected, cache: 'other bundle or place' });

    fs.rmSync(cacheFile);
    assert.deepEqual(run(dir, ['lint', files, '--format', 'json']), { ...expected, cache: 'none' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  }
});

test('the cache a run writes is used by the next, and nothing else is left beside it', () => {
  const files = manifests();
  const dir = copyOfCli();
  try {
    fs.rmSync(path.join(dir, 'cli-main.js.cache'));
    fs.appendFileSync(path.join(dir, 'cli-main.js'), '\n// another build\n');
    const writing = run(dir, ['lint', files, '--format', 'json'], { [WRITE]: '1' });
    assert.equal(writing.cache, 'none');
    const next = run(dir, ['lint', files, '--format', 'json']);
    assert.equal(next.cache, 'used');
    assert.equal(next.stdout, writing.stdout);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['cli-main.js', 'cli-main.js.cache', 'cli.js', 'lint-worker.js', 'read-worker.js', 'x509.js']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(files, { recursive: true, force: true });
  }
});
