/**
 * Reading a lint's files in a thread of its own, ahead of the checking: on a machine with a
 * second core the opening, reading and decoding of thousands of small files (about a sixth of a
 * lint of 10,000 of them) run beside the checking instead of before each file's. What the reading
 * thread has not sent yet when a file's turn comes is read here, with the same function, so the
 * result never depends on the thread: it only saves time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { readTextFileSync, type ReadResult } from '../util/files';

/** The reading thread's file, next to the CLI's bundle (esbuild.mjs builds it). */
export const READ_WORKER_FILE = path.join(__dirname, 'read-worker.js');
/** Texts per message. */
export const READ_BATCH = 32;
/** How far (in characters of text not yet taken) the reading thread may be ahead. */
export const READ_AHEAD_BYTES = 16 * 1024 * 1024;
/** Fewer files than this are read here: a thread costs more to start than they take to read. */
const FEW_FILES = 200;

/** What the lint tells the reading thread: the files and how far ahead it may read (once), and how many it has taken. */
export interface ReadRequest {
  files?: readonly string[];
  aheadBytes?: number;
  taken: number;
}

/** What the reading thread sends: the results of files start, start + 1, … */
export interface ReadBatch {
  start: number;
  results: ReadResult[];
}

export interface FileReader {
  /** File i's text or why it cannot be read; files are taken in order, each once. */
  take(i: number): ReadResult;
  /** Lets the reading thread's batches in (between batches of checking). */
  settle(): Promise<void>;
  /** Whether file i's result came from the reading thread and waits to be taken. */
  has(i: number): boolean;
  close(): Promise<void>;
  /** How many files came from the reading thread, and the most text it held at once (characters). */
  readonly stats: { fromThread: number; mostHeld: number };
  /** Whether a reading thread sent its first batch (false: none was started, or it failed first). */
  readonly reading: Promise<boolean>;
}

export interface ReaderOptions {
  aheadBytes?: number;
  /** The reading thread's file (tests run from another folder than the bundle). */
  workerFile?: string;
}

/** A reader of `files` in their order: a reading thread when it can pay, else plain reads here. */
export function fileReader(files: readonly string[], options: ReaderOptions = {}): FileReader {
  const workerFile = options.workerFile ?? READ_WORKER_FILE;
  if (files.length < FEW_FILES || os.availableParallelism() < 2 || !fs.existsSync(workerFile)) {
    return {
      take: (i) => readTextFileSync(files[i]!),
      settle: async () => undefined,
      has: () => false,
      close: async () => undefined,
      stats: { fromThread: 0, mostHeld: 0 },
      reading: Promise.resolve(false),
    };
  }
  return new ReadAhead(files, options.aheadBytes ?? READ_AHEAD_BYTES, workerFile);
}

class ReadAhead implements FileReader {
  private readonly worker: Worker;
  private readonly arrived: (ReadResult | undefined)[] = [];
  private taken = 0;
  private held = 0;
  /**
   * What the reading thread has not been told: the characters taken from it (it needs to know
   * only to read on once it is `aheadBytes` ahead, told after a quarter of that), and whether a
   * file was read here (it is behind: told at once, it skips what was read here).
   */
  private untold = 0;
  private readHere = false;
  private readonly tellAfter: number;
  private failed = false;
  readonly stats = { fromThread: 0, mostHeld: 0 };
  readonly reading: Promise<boolean>;

  constructor(
    private readonly files: readonly string[],
    aheadBytes: number,
    workerFile: string,
  ) {
    this.worker = new Worker(workerFile);
    let started: (reading: boolean) => void = () => undefined;
    this.reading = new Promise((resolve) => (started = resolve));
    this.worker.on('message', (batch: ReadBatch) => {
      started(true);
      for (let i = 0; i < batch.results.length; i++) {
        // A file read here meanwhile is not held again.
        if (batch.start + i < this.taken) continue;
        const result = batch.results[i]!;
        this.arrived[batch.start + i] = result;
        this.held += sizeOf(result);
      }
      this.stats.mostHeld = Math.max(this.stats.mostHeld, this.held);
    });
    // A reading thread that fails only costs its time: every file is then read here.
    this.worker.on('error', () => {
      this.failed = true;
      started(false);
    });
    this.worker.postMessage({ files, aheadBytes, taken: 0 } satisfies ReadRequest);
    this.tellAfter = aheadBytes / 4;
  }

  take(i: number): ReadResult {
    const arrived = this.arrived[i];
    this.taken = i + 1;
    if (arrived === undefined) {
      this.readHere = true;
      return readTextFileSync(this.files[i]!);
    }
    this.arrived[i] = undefined;
    const size = sizeOf(arrived);
    this.held -= size;
    this.untold += size;
    this.stats.fromThread++;
    return arrived;
  }

  has(i: number): boolean {
    return this.arrived[i] !== undefined;
  }

  async settle(): Promise<void> {
    // A message per batch was a fiftieth of a lint of 10,000 small files, which the thread reads
    // ahead without ever waiting for one.
    if (!this.failed && (this.readHere || this.untold >= this.tellAfter)) {
      this.untold = 0;
      this.readHere = false;
      this.worker.postMessage({ taken: this.taken } satisfies ReadRequest);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** What a result holds, as the reading thread counts it. */
export function sizeOf(result: ReadResult): number {
  return 'text' in result ? result.text.length : 0;
}
