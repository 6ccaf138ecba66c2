/**
 * Starts a real SCIM peer server (test/peers/*.mjs) for interop tests.
 *
 *   const peer = await startPeer('scimmy', { env: { NO_EXPRESS_ETAG: '1' } });
 *   // peer.baseUrl = 'http://127.0.0.1:<port>/scim/v2', peer.token = 'test-token'
 *   after(() => peer.stop());
 *
 * Peers: 'scimmy' (Users, Groups, Agents, AgenticApplications; env NO_AGENTS=1, NO_EXPRESS_ETAG=1)
 * and 'better-auth' (Users and Groups only, strict). Each binds 127.0.0.1 on a free port and is
 * ready when it prints "listening <port>"; startPeer waits for that line (no fixed sleep).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type PeerKind = 'scimmy' | 'better-auth';

export interface PeerOptions {
  /** Extra environment for the peer process (e.g. { NO_AGENTS: '1' }). */
  env?: Record<string, string>;
  /** Bearer token the peer accepts; default 'test-token'. */
  token?: string;
  /** How long to wait for "listening"; default 20 s. */
  readyTimeoutMs?: number;
}

export interface RunningPeer {
  kind: PeerKind;
  /** SCIM base URL, e.g. http://127.0.0.1:43123/scim/v2 */
  baseUrl: string;
  token: string;
  /** Kills the peer and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

const PEERS: Record<PeerKind, { script: string; basePath: string }> = {
  scimmy: { script: 'scimmy-peer.mjs', basePath: '/scim/v2' },
  'better-auth': { script: 'better-auth-peer.mjs', basePath: '/api/auth/scim/v2' },
};

/** The repository root: the nearest folder above this bundle that has test/peers. */
function peersDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'test', 'peers');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('test/peers not found above the test bundle');
    dir = parent;
  }
}

export async function startPeer(kind: PeerKind, options: PeerOptions = {}): Promise<RunningPeer> {
  const { script, basePath } = PEERS[kind];
  const token = options.token ?? 'test-token';
  const child = spawn(process.execPath, [path.join(peersDir(), script)], {
    env: { ...process.env, ...options.env, PORT: '0', TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => fail(new Error(`${kind} peer not ready within ${options.readyTimeoutMs ?? 20_000} ms`)), options.readyTimeoutMs ?? 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill();
      reject(new Error(`${error.message}\n${stderr}`));
    };
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\d+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => fail(new Error(`${kind} peer exited with code ${code} before listening`)));
  });
  let stopped: Promise<void> | undefined;
  return {
    kind,
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    token,
    stop() {
      stopped ??= child.exitCode !== null ? Promise.resolve() : (child.kill('SIGTERM'), exited);
      return stopped;
    },
  };
}
