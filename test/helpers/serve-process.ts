/**
 * Test helper: `scim-agents serve` as its own process (the built CLI), optionally under a
 * shell's `ulimit -f`, so that faults such as a file-size limit are real and a SIGKILL is a
 * real crash. Resolves once the sandbox listens; the token is read from `<data>/token`, where
 * serve keeps it (it is never printed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const CLI = path.resolve(__dirname, '..', '..', 'cli.js');

export interface ServeProcess {
  child: ChildProcess;
  baseUrl: string;
  token: string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | NodeJS.Signals | null>;
  stderr(): string;
  /** SIGKILL unless it has ended already; resolves once it has. */
  kill(): Promise<void>;
}

export interface ServeOptions {
  /** Runs under `ulimit -f BLOCKS` (1,024-byte blocks), SIGXFSZ ignored so a write fails with EFBIG. */
  fileSizeBlocks?: number;
  extraArgs?: string[];
}

/** Starts serve; rejects with its output if it exits or does not listen within 15 s. */
export function startServe(dataDir: string, options: ServeOptions = {}): Promise<ServeProcess> {
  const args = ['serve', '--data', dataDir, '--port', '0', '--quiet', ...(options.extraArgs ?? [])];
  const child =
    options.fileSizeBlocks === undefined
      ? spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('bash', ['-c', `trap '' XFSZ; ulimit -f ${options.fileSizeBlocks}; exec "$0" "$@"`, process.execPath, CLI, ...args], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void kill();
      reject(new Error(`serve did not start within 15 s:\n${out}\n${err}`));
    }, 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      const token = fs.readFileSync(path.join(dataDir, 'token'), 'utf8').trim();
      resolve({ child, baseUrl: m[1], token, exited, stderr: () => err, kill });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`serve exited (${code}) before listening:\n${out}\n${err}`), { code, output: out + err }));
    });
  });
}
