// The bundles are ASCII throughout. esbuild escapes what is not ASCII in code but keeps some
// comments as written, and one such character anywhere makes V8 hold the whole source as a
// two-byte string: 4 MB instead of 2 for the CLI, in every process and worker that loads it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const DIST = path.resolve(__dirname, '..', '..');
const BUNDLES = ['cli.js', 'cli-main.js', 'server.js', 'client.js', 'lint-worker.js', 'read-worker.js', 'web/server.js', 'web/client.js'];

for (const bundle of BUNDLES) {
  test(`dist/${bundle} is ASCII`, () => {
    const lines = fs.readFileSync(path.join(DIST, bundle), 'utf8').split('\n');
    const offending = lines.flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`${i + 1}: ${line.trim().slice(0, 100)}`] : []));
    assert.deepEqual(offending, [], 'a comment the bundle keeps has a character that is not ASCII (write "->" for an arrow, "section" for §)');
  });
}
