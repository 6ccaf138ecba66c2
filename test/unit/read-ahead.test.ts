/**
 * The CLI's reading thread (cli/readAhead.ts, dist/read-worker.js): every file's result is the
 * one readTextFileSync gives here (texts, BOMs, and each refusal), whichever side read it; what
 * the thread sent is taken from it, and it never holds much more text than it was allowed ahead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileReader } from '../../server/src/cli/readAhead';
import { readTextFileSync } from '../../server/src/util/files';

const WORKER = path.resolve(__dirname, '..', '..', 'read-worker.js');

function tree(n: number, size: (i: number) => number): { root: string; files: string[] } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'read-ahead-'));
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const file = path.join(root, `f${i}.agent.yaml`);
    files.push(file);
    if (i % 97 === 13) continue; // missing
    if (i % 89 === 7)
      fs.mkdirSync(file); // a directory
    else if (i % 83 === 5)
      fs.writeFileSync(file, Buffer.from([0x6e, 0x61, 0xff, 0xfe])); // not UTF-8
    else if (i % 79 === 3) fs.writeFileSync(file, '\ufeffname: bom-' + i + '\n');
    else fs.writeFileSync(file, `name: agent-${i}\n` + '#'.repeat(size(i)) + '\n');
  }
  return { root, files };
}

test('each result is the one read here, whichever side read it', async (t) => {
  assert.ok(fs.existsSync(WORKER), `${WORKER} is built by esbuild.mjs`);
  const { root, files } = tree(1500, (i) => (i * 37) % 900);
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const reader = fileReader(files, { workerFile: WORKER });
  assert.equal(await reader.reading, os.availableParallelism() >= 2);
  try {
    // As fast as it goes: how many the thread reads first depends on the machine's load.
    for (let i = 0; i < files.length; i++) {
      assert.deepEqual(reader.take(i), readTextFileSync(files[i]!), files[i]);
      if (i % 32 === 31) await reader.settle();
    }
  } finally {
    await reader.close();
  }
});

test('the thread reads ahead: a file it has sent is taken from it, not read again', async (t) => {
  const { root, files } = tree(600, (i) => (i * 37) % 900);
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const reader = fileReader(files, { workerFile: WORKER });
  const threaded = await reader.reading;
  assert.equal(threaded, os.availableParallelism() >= 2);
  if (!threaded) return;
  try {
    for (let i = 0; i < files.length; i++) {
      // Each file taken once the thread's batch with it is in (its messages are what settle waits on).
      while (!reader.has(i)) await reader.settle();
      assert.deepEqual(reader.take(i), readTextFileSync(files[i]!), files[i]);
    }
  } finally {
    await reader.close();
  }
  assert.equal(reader.stats.fromThread, files.length);
});

test('the thread stays within what it may hold ahead', async (t) => {
  const { root, files } = tree(400, () => 1000);
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const aheadBytes = 8000;
  const reader = fileReader(files, { workerFile: WORKER, aheadBytes });
  assert.equal(await reader.reading, os.availableParallelism() >= 2);
  try {
    // Taken slowly, one file per turn of the event loop, so that the thread could run far ahead.
    for (let i = 0; i < files.length; i++) {
      assert.deepEqual(reader.take(i), readTextFileSync(files[i]!));
      await reader.settle();
    }
  } finally {
    await reader.close();
  }
  if (os.availableParallelism() < 2) return;
  assert.ok(reader.stats.fromThread > 0, 'the thread read nothing');
  // At most one file beyond the allowance (it checks before each file).
  assert.ok(reader.stats.mostHeld <= aheadBytes + 1100, `held ${reader.stats.mostHeld} characters at once`);
});

test('few files are read here, without a thread', async () => {
  const reader = fileReader(['/nonexistent/a.agent.yaml'], { workerFile: WORKER });
  assert.match((reader.take(0) as { error: string }).error, /ENOENT/);
  await reader.close();
  assert.equal(reader.stats.fromThread, 0);
  assert.equal(await reader.reading, false);
});
