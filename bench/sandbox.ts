/**
 * (g) The sandbox at scale: a filtered lookup at two store sizes (its cost should not grow
 * with the store), 200 concurrent filtered GETs against the larger store, and apply plus a
 * no-change re-plan of a large fleet through the CLI's engine with Bulk. The sandbox runs as
 * `scim-agents serve` in its own process, as it does for users, so the client's work does not
 * share its event loop; the store is filled over HTTP with Bulk, as a client would.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round, stat, type Stat } from './stats';

interface Sandbox {
  baseUrl: string;
  token: string;
}

const CLI = path.resolve(__dirname, '..', 'cli.js');

export interface LookupResult {
  agents: number;
  lookupMs: Stat;
}

export interface ConcurrentResult {
  agents: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Requests that failed (reset, refused, timed out) or answered anything but 200. */
  failed: number;
}

async function withFilledSandbox<T>(agents: number, run: (s: Sandbox) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-bench-store-'));
  const child = spawn(process.execPath, [CLI, 'serve', '--data', dataDir, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const baseUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`scim-agents serve exited with ${code}: ${out}`)));
    });
    const sandbox: Sandbox = { baseUrl, token: fs.readFileSync(path.join(dataDir, 'token'), 'utf8').trim() };
    for (let start = 0; start < agents; start += 1000) {
      const Operations = [];
      for (let i = start; i < Math.min(agents, start + 1000); i++) {
        Operations.push({
          method: 'POST',
          path: '/Agents',
          bulkId: `a${i}`,
          data: {
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'],
            externalId: `store-agent-${i}`,
            name: `store-agent-${i}`,
            displayName: `Store Agent ${i}`,
          },
        });
      }
      const res = await call(sandbox, 'POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations });
      if (res.status !== 200) throw new Error(`filling the store: Bulk answered ${res.status}`);
    }
    return await run(sandbox);
  } finally {
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function call(s: Sandbox, method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(s.baseUrl + p, {
    method,
    headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/scim+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

const lookupPath = (i: number) => `/Agents?filter=${encodeURIComponent(`externalId eq "store-agent-${i}"`)}`;

async function timedLookup(s: Sandbox, i: number): Promise<number> {
  const t = performance.now();
  const r = await call(s, 'GET', lookupPath(i));
  const ms = performance.now() - t;
  if (r.status !== 200 || (r.body as { totalResults?: number }).totalResults !== 1) throw new Error(`lookup of store-agent-${i}: ${r.status}`);
  return ms;
}

/** Sequential `externalId eq` lookups spread over the store. */
export async function measureLookup(agents: number, samples: number): Promise<LookupResult> {
  return withFilledSandbox(agents, async (s) => {
    for (let k = 0; k < 20; k++) await timedLookup(s, k); // warm-up: connection and JIT
    const times: number[] = [];
    for (let k = 0; k < samples; k++) times.push(await timedLookup(s, Math.floor(((k + 0.5) * agents) / samples)));
    return { agents, lookupMs: stat(times) };
  });
}

/** `requests` filtered GETs sent at once, each on its own connection. */
export async function measureConcurrent(agents: number, requests: number): Promise<ConcurrentResult> {
  return withFilledSandbox(agents, async (s) => {
    await timedLookup(s, 0);
    const times: number[] = [];
    let failed = 0;
    await Promise.all(
      Array.from({ length: requests }, async (_, k) => {
        try {
          times.push(await timedLookup(s, (k * 37) % agents));
        } catch {
          failed++;
        }
      }),
    );
    times.sort((a, b) => a - b);
    const pct = (p: number) => round(times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? NaN);
    return { agents, requests, p50Ms: pct(50), p99Ms: pct(99), maxMs: round(times[times.length - 1] ?? NaN), failed };
  });
}

/** How a cost grows with size: t ∝ n^k between two sizes (0: constant, 1: linear). */
