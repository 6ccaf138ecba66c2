/**
 * A lint worker thread (dist/lint-worker.js): checks the batches of files lintJobs.ts sends it,
 * each by its own rules, and sends back what the rest of the lint needs of them.
 */
import { parentPort } from 'node:worker_threads';
import { runJob, type WorkerBatch, type WorkerDone } from './lintJobs';

const port = parentPort;
if (!port) throw new Error('dist/lint-worker.js runs as a worker thread of `scim-agents lint`, not on its own.');
port.on('message', (batch: WorkerBatch) => {
  port.postMessage({ start: batch.start, results: batch.jobs.map(runJob) } satisfies WorkerDone);
});
