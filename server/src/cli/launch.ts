/**
 * The executable (dist/cli.js): runs the CLI's bundle (dist/cli-main.js) from V8's code cache of
 * it when there is one for exactly these bytes. Without the cache, V8 compiles each function of
 * the bundle the first time it runs (1.6 MB of source: a lint of 10,000 files ran 5% longer, a
 * `--version` 15 ms); the cache holds the bytecode of the functions a lint ran when the build
 * made it (esbuild.mjs runs one with WRITE_CACHE set). A cache made from other bytes or at
 * another place (V8 keeps the file's path in the cache, and stack traces would name the place it
 * was made), damaged, or refused by V8 (another Node, other flags) is not used: the bundle is then
 * compiled as Node would, with the same result.
 *
 * This file imports nothing of the CLI: all it loads is compiled before the cache is read.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** The bundle, beside this file. */
const BUNDLE = path.join(__dirname, 'cli-main.js');
/** Its code cache: a line of the SHA-256 of the bundle's path and bytes and of the data (hex, a space between), then V8's data. */
const CACHE = `${BUNDLE}.cache`;
/** Set by the build: write the cache when the run ends. */
const WRITE_CACHE = 'SCIM_AGENTS_WRITE_CODE_CACHE';
/** Set to have the launcher say on stderr whether it used the cache (tests). */
const REPORT_CACHE = 'SCIM_AGENTS_REPORT_CODE_CACHE';
const HEADER = 64 + 1 + 64 + 1;

type CacheState = 'used' | 'none' | 'other bundle or place' | 'damaged' | 'refused by V8';

/** The SHA-256 (hex) of the pieces, one after the other. */
function sha256(...pieces: (string | Uint8Array)[]): string {
  const hash = crypto.createHash('sha256');
  for (const piece of pieces) hash.update(piece);
  return hash.digest('hex');
}

function launch(): void {
  const source = fs.readFileSync(BUNDLE);
  const hash = sha256(`${BUNDLE}\n`, source);
  const cache = cacheFor(hash);
  // Wrapped as Node wraps a CommonJS file, on the bundle's first line: its positions stay as they are.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source.toString('utf8')}\n});`;
  const script = new vm.Script(wrapped, { filename: BUNDLE, ...(cache.data ? { cachedData: cache.data } : {}) });
  const state: CacheState = cache.data && script.cachedDataRejected ? 'refused by V8' : cache.state;
  if (process.env[REPORT_CACHE]) process.stderr.write(`scim-agents: code cache ${state}\n`);
  if (process.env[WRITE_CACHE]) {
    // After the run, so that the cache holds every function the run compiled, not only the top level.
    process.on('exit', () => writeCache(hash, script.createCachedData()));
  }
  // The bundle exports nothing and requires only Node's modules and the files beside it.
  const bundle = { exports: {}, id: BUNDLE, filename: BUNDLE };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(bundle.exports, bundle.exports, createRequire(BUNDLE), bundle, BUNDLE, path.dirname(BUNDLE));
}

function cacheFor(hash: string): { state: CacheState; data?: Buffer } {
  let cache: Buffer;
  try {
    cache = fs.readFileSync(CACHE);
  } catch {
    return { state: 'none' };
  }
  const header = cache.toString('latin1', 0, Math.min(cache.length, HEADER));
  if (header.slice(0, 64) !== hash) return { state: 'other bundle or place' };
  const data = cache.subarray(HEADER);
  // V8 trusts the data it is given: a damaged cache must never reach it.
  if (header.length !== HEADER || header[64] !== ' ' || header[HEADER - 1] !== '\n' || header.slice(65, 129) !== sha256(data)) return { state: 'damaged' };
  return { state: 'used', data };
}

function writeCache(hash: string, data: Buffer): void {
  // Whole or not at all: a run stopped while writing leaves no half of a cache.
  const partial = `${CACHE}.${process.pid}`;
  fs.writeFileSync(partial, Buffer.concat([Buffer.from(`${hash} ${sha256(data)}\n`, 'latin1'), data]));
  fs.renameSync(partial, CACHE);
}

launch();
