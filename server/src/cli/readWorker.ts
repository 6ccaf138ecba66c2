/**
 * The reading thread of a lint (dist/read-worker.js): reads the files readAhead.ts lists, in
 * their order, each with the same checks as everywhere (readTextFileSync: regular files only,
 * size checked first, UTF-8), and sends their texts back in batches. It stays at most about
 * `aheadBytes` (characters of text) ahead of what the lint has taken, so that many large files
 * are not all held at once.
 */
import { parentPort } from 'node:worker_threads';
import { readTextFileSync } from '../util/files';
import { READ_AHEAD_BYTES, READ_BATCH, sizeOf, type ReadRequest, type ReadBatch } from './readAhead';

const port = parentPort;
if (!port) throw new Error('dist/read-worker.js runs as a worker thread of `scim-agents lint`, not on its own.');

let files: readonly string[] = [];
/** The next file to read, and the bytes read of each file not yet taken. */
let next = 0;
let taken = 0;
const sizes: number[] = [];
let ahead = 0;
let budget = READ_AHEAD_BYTES;

port.on('message', (request: ReadRequest) => {
  if (request.files) files = request.files;
  if (request.aheadBytes !== undefined) budget = request.aheadBytes;
  // What the lint took (itself or from us) is no longer held; what it read itself is not read again.
  for (; taken < request.taken; taken++) ahead -= sizes[taken] ?? 0;
  next = Math.max(next, request.taken);
  read();
});

function read(): void {
  while (next < files.length && ahead < budget) {
    const start = next;
    const results: ReadBatch['results'] = [];
    for (; next < files.length && next - start < READ_BATCH && ahead < budget; next++) {
      const result = readTextFileSync(files[next]!);
      const size = sizeOf(result);
      sizes[next] = size;
      ahead += size;
      results.push(result);
    }
    port!.postMessage({ start, results } satisfies ReadBatch);
  }
}
