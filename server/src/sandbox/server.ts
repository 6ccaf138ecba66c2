/**
 * startSandbox: the local SCIM 2.0 server (RFC 7644) with the agent extension, persisted in
 * a data directory. Loopback-only unless the caller explicitly allows otherwise.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getProfile } from '../schema/profiles';
import type { ProfileId } from '../schema/types';
import { loadOrCreateToken } from './auth';
import type { BulkLimits } from './bulk';
import { DEFAULT_SEED } from './defaultSeed';
import { toScimError } from './errors';
import { sendError } from './http';
import { buildModel } from './model';
import type { RenderContext } from './render';
import { logRequests } from './requestLog';
import { BASE_PATH, route } from './router';
import { applySeed, readSeedFile } from './seed';
import { ResourceService } from './service';
import { lockDataDir } from './lock';
import { Store } from './store';
import type { JournalWrite } from './journal';
import { isLoopbackHost } from '../util/loopback';

export interface SandboxOptions {
  /** Where data, the journal and the generated token live. Created if missing. */
  dataDir: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Use this token instead of the one stored in dataDir (nothing is written then). */
  token?: string;
  profile?: ProfileId;
  /** YAML or JSON seed applied when dataDir holds no data yet; the built-in seed otherwise. */
  seedFile?: string;
  /** Request log lines (method, path, status, duration) and startup problems. */
  logger?: (line: string) => void;
  /** Required to bind anything but a loopback address. */
  allowNonLoopback?: boolean;
  etag?: boolean;
  bulk?: Partial<BulkLimits>;
  /** ServiceProviderConfig filter.maxResults: the largest page. */
  maxResults?: number;
  /** Journal size (bytes) that triggers compaction into the snapshot. */
  compactBytes?: number;
  /** Tests only: a fault put in front of the real journal write (see JournalWrite). */
  journalWrite?: JournalWrite;
}

export interface Sandbox {
  /** Origin, e.g. http://127.0.0.1:8787 */
  url: string;
  /** SCIM base URL, e.g. http://127.0.0.1:8787/scim/v2 */
  baseUrl: string;
  token: string;
  /** The file holding the token, unless the caller supplied it. */
  tokenFile: string | undefined;
  /** True when this start generated the token (show it once). */
  tokenCreated: boolean;
  /** How many resources the seed created on this start (0 when the data directory had data). */
  seeded: number;
  /** What the start repaired (a torn last journal line from a crash), to show the operator. */
  notes: string[];
  close(): Promise<void>;
}

export const DEFAULT_BULK: BulkLimits = { maxOperations: 1000, maxPayloadSize: 1024 * 1024 };
export const DEFAULT_MAX_RESULTS = 200;

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowNonLoopback) {
    throw new Error(`Refusing to bind ${host}: the sandbox listens on loopback only unless non-loopback binding is explicitly allowed.`);
  }
  const etag = options.etag ?? true;
  const bulk: BulkLimits = { ...DEFAULT_BULK, ...options.bulk };
  const maxResults = options.maxResults ?? DEFAULT_MAX_RESULTS;
  const log = options.logger ?? (() => {});

  await fs.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  // Before anything reads or repairs the journal: another sandbox may be writing it.
  const lock = await lockDataDir(options.dataDir);
  let store: Store;
  let token: Awaited<ReturnType<typeof loadOrCreateToken>>;
  const model = buildModel(getProfile(options.profile ?? 'abbey-00'));
  try {
    token = await loadOrCreateToken(options.dataDir, options.token);
    store = await Store.open(options.dataDir, model, { compactBytes: options.compactBytes, write: options.journalWrite });
  } catch (e) {
    await lock.release();
    throw e;
  }
  for (const note of store.notes) log(note);
  const ctx: RenderContext = { store, model, baseUrl: '' };
  const service = new ResourceService(store, model, { etag, maxResults }, ctx);
  const shutDown = async () => {
    await store.close();
    await lock.release();
  };

  let seeded = 0;
  try {
    if (store.fresh) {
      const seed = options.seedFile ? await readSeedFile(options.seedFile) : DEFAULT_SEED;
      // One write: the seed lands whole or not at all.
      await store.write(async () => {
        seeded = await applySeed(service, seed);
      });
    }
  } catch (e) {
    await shutDown();
    throw e;
  }

  const server = http.createServer((req, res) => {
    if (options.logger) logRequests(req, res, log);
    route(service, { token: token.token, bulk, etag, maxResults }, req, res).catch((e) => {
      const err = toScimError(e);
      if (err.status === 500) log(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (res.headersSent) res.destroy();
      else sendError(res, err);
    });
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    await shutDown();
    throw e;
  }
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `http://${hostInUrl}:${address.port}`;
  ctx.baseUrl = url + BASE_PATH;

  let closing: Promise<void> | undefined;
  return {
    url,
    baseUrl: ctx.baseUrl,
    token: token.token,
    tokenFile: token.file,
    tokenCreated: token.created,
    seeded,
    notes: store.notes,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await shutDown();
      })()),
  };
}
