/**
 * The `server` profile's definitions: fetched by discovery (/Schemas, /ResourceTypes) and kept in
 * a cache folder outside any workspace, one file per endpoint, so that lint and the editor need
 * the network only on the first use and on refresh. A cache file holds the endpoint's URL (no
 * credentials, no query) and what it served: never a token, nor any request header.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serverProfile, servedDefinitionsOf, type ServedDefinitions, type ServerProfile } from '../schema/served';
import type { ScimClient } from './client';
import { discoverCapabilities } from './discovery';
import { isScimError } from './errors';

const FORMAT = 1;
/** A served definition set larger than this is not cached (nor, then, used). */
const MAX_CACHE_BYTES = 8 * 1024 * 1024;

/** `SCIM_AGENTS_CACHE_DIR`, else `$XDG_CACHE_HOME/scim-agents`, else `~/.cache/scim-agents`; then `server-schemas`. */
export function defaultSchemaCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.SCIM_AGENTS_CACHE_DIR || (env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'scim-agents') : path.join(os.homedir(), '.cache', 'scim-agents'));
  return path.join(base, 'server-schemas');
}

/** The endpoint as the cache names it: origin and path, no credentials, query or trailing slash. */
export function endpointKey(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export function schemaCacheFile(dir: string, baseUrl: string): string {
  return path.join(dir, createHash('sha256').update(endpointKey(baseUrl)).digest('hex').slice(0, 32) + '.json');
}

export interface LoadServerProfileOptions {
  /** Where cache files live (default: defaultSchemaCacheDir()). */
  cacheDir?: string;
  /** Fetch again even when a cache file exists. */
  refresh?: boolean;
  /** Never fetch: the cache or nothing (the editor, as the user types). */
  offline?: boolean;
  now?: () => Date;
}

export type ServerProfileResult = { profile: ServerProfile; source: 'cache' | 'server' } | { unavailable: string };

/**
 * The server profile of `baseUrl`: from the cache, else (or with `refresh`) from the endpoint
 * through `client()` (called only when the network is needed, so a cached profile needs no
 * token). Never throws for an endpoint problem: that becomes `unavailable`, in words for the user.
 */
export async function loadServerProfile(baseUrl: string, client: () => ScimClient, options: LoadServerProfileOptions = {}): Promise<ServerProfileResult> {
  const dir = options.cacheDir ?? defaultSchemaCacheDir();
  const file = schemaCacheFile(dir, baseUrl);
  const endpoint = endpointKey(baseUrl);
  if (!options.refresh) {
    const cached = readCache(file, endpoint);
    if (cached) return { profile: cached, source: 'cache' };
  }
  if (options.offline)
    return {
      unavailable: `the schemas of ${endpoint} have not been fetched yet (fetch them with the scimAgents.refreshSchemas command, or scim-agents lint --profile server --refresh-schemas --endpoint URL)`,
    };
  let capabilities;
  try {
    capabilities = await discoverCapabilities(client());
  } catch (e) {
    if (!isScimError(e)) throw e;
    return { unavailable: `the schemas of ${endpoint} could not be read (${e.message})` };
  }
  const { schemas, resourceTypes } = capabilities.discovery;
  if (schemas !== 'ok' || resourceTypes !== 'ok') {
    return { unavailable: `${endpoint} does not serve usable discovery (/Schemas: ${schemas}, /ResourceTypes: ${resourceTypes})` };
  }
  const profile = serverProfile(endpoint, (options.now?.() ?? new Date()).toISOString(), capabilities);
  if (profile.resourceTypes.length === 0) return { unavailable: `${endpoint} serves no resource type whose schema it also serves` };
  writeCache(file, profile);
  return { profile, source: 'server' };
}

interface CacheFile {
  format: number;
  endpoint: string;
  fetchedAt: string;
  definitions: ServedDefinitions;
}

function readCache(file: string, endpoint: string): ServerProfile | undefined {
  let raw: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_CACHE_BYTES) return undefined;
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const data = JSON.parse(raw) as Partial<CacheFile>;
    // A damaged or foreign file is a cache miss, never an error: the server is asked again.
    if (data.format !== FORMAT || data.endpoint !== endpoint || typeof data.fetchedAt !== 'string') return undefined;
    const d = data.definitions;
    if (!d || typeof d !== 'object' || !isRecord(d.resourceTypes) || !isRecord(d.schemas)) return undefined;
    for (const rt of Object.values(d.resourceTypes)) if (!isResourceType(rt)) return undefined;
    for (const s of Object.values(d.schemas)) if (!isRecord(s) || typeof s.id !== 'string' || !Array.isArray(s.attributes)) return undefined;
    return serverProfile(endpoint, data.fetchedAt, d);
  } catch {
    return undefined;
  }
}

function writeCache(file: string, profile: ServerProfile): void {
  const data: CacheFile = { format: FORMAT, endpoint: profile.endpoint, fetchedAt: profile.fetchedAt, definitions: servedDefinitionsOf(profile) };
  const text = JSON.stringify(data);
  if (text.length > MAX_CACHE_BYTES) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    // Written whole or not at all: a reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // An unwritable cache costs a fetch next time, nothing more.
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isResourceType(v: unknown): v is ServedDefinitions['resourceTypes'][string] {
  if (!isRecord(v)) return false;
  return (
    typeof v.name === 'string' &&
    typeof v.endpoint === 'string' &&
    typeof v.schema === 'string' &&
    Array.isArray(v.schemaExtensions) &&
    v.schemaExtensions.every((e) => isRecord(e) && typeof e.schema === 'string' && typeof e.required === 'boolean')
  );
}
