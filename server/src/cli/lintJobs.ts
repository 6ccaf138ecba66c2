/**
 * The first half of a lint apart (lint/apart.ts) over many files: each file read and checked by
 * its own rules, in this thread or, with --jobs, in worker threads too (a runner with many cores).
 * Files go out in batches to whichever worker is free; what comes back is put in the files'
 * order, so the result is the same whatever the number of workers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { lintAlone, type AloneOptions, type FileAlone } from '../lint/apart';
import { readTextFileSync, type ReadResult } from '../util/files';
import { fileReader } from './readAhead';

/** One file to check, with what its configuration says. */
export interface LintJob {
  file: string;
  uri: string;
  options: AloneOptions;
}

export type JobResult = FileAlone | { uri: string; error: string };

/** Files per message: enough that messages cost little, few enough that the workers finish together. */
const BATCH = 48;
/** The worker's file, next to the CLI's bundle (esbuild.mjs builds it). */
export const WORKER_FILE = path.join(__dirname, 'lint-worker.js');

/**
 * How many threads check a run of `files` files: `jobs` (--jobs) when given, else one. This
 * thread is one of them; the others are workers. One by default, because on the two-core
 * machines we measure on a second thread cost more than it saved (README, Performance): a
 * worker loads and warms up the engine again and its results are copied back.
 */
export function threadsFor(files: number, jobs: number | undefined): number {
  return jobs === undefined ? 1 : Math.max(1, Math.min(jobs, Math.ceil(files / BATCH)));
}

/** Checks one file (a worker does this for each file of a batch). */
export function runJob(job: LintJob): JobResult {
  return checkRead(job, readTextFileSync(job.file));
}

function checkRead(job: LintJob, read: ReadResult): JobResult {
  return 'text' in read ? lintAlone(job.uri, read.text, job.options) : { uri: job.uri, error: read.error };
}

/** Every job's result in this thread, the files read ahead beside it (readAhead.ts). */
async function runHere(jobs: readonly LintJob[]): Promise<JobResult[]> {
  const reader = fileReader(jobs.map((j) => j.file));
  try {
    const results: JobResult[] = [];
    for (let i = 0; i < jobs.length; i++) {
      results.push(checkRead(jobs[i]!, reader.take(i)));
      if (i % BATCH === BATCH - 1) await reader.settle();
    }
    return results;
  } finally {
    await reader.close();
  }
}

/**
 * Every job's result, in the jobs' order, checked by `threads` threads: this one and workers.
 * Each takes the next batch when it is free; a worker has one batch waiting beside the one it
 * checks, so that it does not wait for this thread to finish its own batch to get the next.
 */
export async function runJobs(jobs: readonly LintJob[], threads: number): Promise<JobResult[]> {
  if (threads < 2) return runHere(jobs);
  if (!fs.existsSync(WORKER_FILE)) throw new Error(`The lint worker ${WORKER_FILE} is missing: the installation is incomplete (or run with --jobs 1).`);
  const results: JobResult[] = new Array<JobResult>(jobs.length);
  let next = 0;
  const take = (): WorkerBatch | undefined => {
    if (next >= jobs.length) return undefined;
    const start = next;
    next = Math.min(jobs.length, next + BATCH);
    return { start, jobs: jobs.slice(start, next) };
  };
  const pool: Worker[] = [];
  const workersDone = Array.from({ length: threads - 1 }, () => {
    const worker = new Worker(WORKER_FILE);
    pool.push(worker);
    return new Promise<void>((resolve, reject) => {
      let out = 0;
      const send = () => {
        const batch = take();
        if (!batch) return;
        out++;
        worker.postMessage(batch);
      };
      worker.on('message', (done: WorkerDone) => {
        for (let i = 0; i < done.results.length; i++) results[done.start + i] = done.results[i]!;
        out--;
        send();
        if (out === 0) resolve();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`A lint worker stopped (exit code ${code}) before its files were checked.`)));
      send();
      send();
      if (out === 0) resolve();
    });
  });
  // A worker that fails while this thread checks its share is reported after it (below), not as unhandled.
  for (const done of workersDone) done.catch(() => undefined);
  try {
    // This thread's share, a batch at a time, letting the workers' answers in between.
    for (let batch = take(); batch; batch = take()) {
      for (let i = 0; i < batch.jobs.length; i++) results[batch.start + i] = runJob(batch.jobs[i]!);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all(workersDone);
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

/** What the lint sends a worker, and what the worker sends back (lintWorker.ts). */
export interface WorkerBatch {
  start: number;
  jobs: LintJob[];
}

export interface WorkerDone {
  start: number;
  results: JobResult[];
}
