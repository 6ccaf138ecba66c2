/**
 * Test helper: an in-process sandbox on a temporary data directory and a free loopback port,
 * plus a small fetch wrapper that sends the token. Other suites reuse it.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../server/src/sandbox';

export interface TestSandbox extends Sandbox {
  dataDir: string;
  /** Request relative to baseUrl ('/Users'), JSON in and out, token included unless overridden. */
  request(method: string, pathOrUrl: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** Closes the server and removes the data directory. */
  dispose(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function makeTempDir(prefix = 'scim-sandbox-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Temporary directories for one test file, removed when its tests have run. */
export function suiteTempDirs(): () => Promise<string> {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  });
  return async () => {
    const d = await makeTempDir();
    dirs.push(d);
    return d;
  };
}

export async function withSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dataDir = options.dataDir ?? (await makeTempDir());
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', ...options, dataDir });
  return {
    ...sandbox,
    dataDir,
    request: (method, p, body, headers) => scimRequest(sandbox.baseUrl, sandbox.token, method, p, body, headers),
    dispose: async () => {
      await sandbox.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function scimRequest(
  baseUrl: string,
  token: string,
  method: string,
  p: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  const init: RequestInit = {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/scim+json',
      ...(body !== undefined ? { 'Content-Type': 'application/scim+json' } : {}),
      ...headers,
    },
  };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(p.startsWith('http') ? p : baseUrl + p, init);
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
