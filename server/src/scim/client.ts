/**
 * ScimClient: a SCIM 2.0 client (RFC 7644) that survives the servers seen in the wild
 * (the README's table of servers and behaviours tested, and test/interop/quirks-*): 201 without Location, relative
 * meta.location, PATCH 204, errors without bodies, paging that ignores startIndex, filters
 * that return the wrong resources.
 */
import { TokenSource, type ScimAuth } from './auth';
import { ScimError, isScimError, parseErrorBody } from './errors';
import { parseJsonLoosely } from './json';
import { redactUrl } from './redact';
import { distrust, lookupTrusted } from './filterTrust';
import { findByAttribute, findManyByAttribute, type LookupOptions, type ManyLookupOptions } from './lookup';
import { listAll, type ListOptions, type ListResult, type PageQuery, type ScimLister } from './paging';
import { DEFAULT_RETRY_TUNING, type RetryTuning } from './retry';
import { Transport, type HttpMethod, type ScimLogger } from './transport';
import { isAddressableId, isScimResource, parseListPage, patchRequest, versionOf, type ListPage, type PatchOperation, type ScimResource } from './types';

export interface ScimClientOptions {
  /** Base URL of the SCIM service, e.g. https://idp.example/scim/v2 */
  baseUrl: string;
  auth: ScimAuth;
  /** Per attempt; default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, where retrying is safe; default 3. */
  maxRetries?: number;
  /** Receives redacted request/response/retry events; never sees a token. */
  logger?: ScimLogger;
  fetchImpl?: typeof fetch;
  /** Injected for tests: how to wait, what time it is, and the jitter source. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  retryTuning?: Partial<RetryTuning>;
  /** Send If-Match with versions; set it from discovery (ServiceProviderConfig etag.supported). */
  useEtags?: boolean;
}

export interface ScimResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  body: unknown;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  ifMatch?: string;
  /** Override the method's default idempotence (GET/PUT/DELETE yes, POST/PATCH no). */
  idempotent?: boolean;
}

export interface CreateResult {
  resource: ScimResource;
  id: string;
  /** Absolute URL of the new resource (Location header, else meta.location resolved against baseUrl). */
  location: string | undefined;
}

export interface IdempotentCreateResult extends CreateResult {
  /** `adopted`: an earlier attempt (or a concurrent writer) had created it; the lookup found it. */
  outcome: 'created' | 'adopted';
}

export interface LookupKey {
  attribute: string;
  value: string;
  caseExact?: boolean;
}

export interface VersionOptions {
  /** meta.version of the resource as last read; sent as If-Match only when useEtags is on. */
  version?: string;
}

export class ScimClient implements ScimLister {
  readonly baseUrl: string;
  useEtags: boolean;
  readonly maxRetries: number;
  private readonly transport: Transport;

  constructor(options: ScimClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.useEtags = options.useEtags ?? false;
    this.maxRetries = options.maxRetries ?? 3;
    const fetchImpl = options.fetchImpl ?? fetch;
    const now = options.now ?? Date.now;
    const timeoutMs = options.timeoutMs ?? 30_000;
    this.transport = new Transport({
      tokens: new TokenSource(options.auth, { fetchImpl, now, timeoutMs }),
      fetchImpl,
      timeoutMs,
      maxRetries: this.maxRetries,
      tuning: { ...DEFAULT_RETRY_TUNING, ...options.retryTuning },
      sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      now,
      random: options.random ?? Math.random,
      logger: options.logger,
    });
  }

  /** Absolute URL for a path relative to the base (`/Users`, `Users/42`), query values %20-encoded. */
  url(path: string, query?: RequestOptions['query']): string {
    const trimmed = path.replace(/^\/+/, '');
    let url = trimmed ? `${this.baseUrl}/${trimmed}` : this.baseUrl;
    const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined);
    if (pairs.length) url += `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
    return url;
  }

  /** One SCIM request; any non-2xx answer becomes a ScimError. */
  async request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<ScimResponse> {
    const response = await this.transport.send({
      method,
      url: this.url(path, options.query),
      body: options.body,
      ifMatch: options.ifMatch,
      idempotent: options.idempotent ?? (method === 'GET' || method === 'PUT' || method === 'DELETE'),
    });
    if (response.status < 200 || response.status > 299) {
      const { scimType, detail } = parseErrorBody(this.transport.scrub(response.text));
      throw new ScimError({
        kind: 'http',
        status: response.status,
        scimType,
        detail,
        method,
        url: this.transport.scrub(this.safeUrl(path, options.query)),
        retryable: response.status === 429 || response.status === 503,
        ambiguous: method === 'POST' && (response.status === 502 || response.status === 504),
      });
    }
    return { status: response.status, headers: response.headers, body: parseJsonLoosely(response.text) };
  }

  async get(endpoint: string, id: string, projection: { attributes?: string[]; excludedAttributes?: string[] } = {}): Promise<ScimResource> {
    const response = await this.request('GET', resourcePath(endpoint, id), {
      query: { attributes: projection.attributes?.join(','), excludedAttributes: projection.excludedAttributes?.join(',') },
    });
    return this.expectResource('GET', resourcePath(endpoint, id), response.body);
  }

  /** GET that reports a missing resource as undefined instead of an error. */
  async tryGet(endpoint: string, id: string): Promise<ScimResource | undefined> {
    try {
      return await this.get(endpoint, id);
    } catch (error) {
      if (isScimError(error) && error.status === 404) return undefined;
      throw error;
    }
  }

  /** POST. Never retried after a timeout or lost connection: see createIdempotent. */
  async create(endpoint: string, body: Record<string, unknown>): Promise<CreateResult> {
    const path = collectionPath(endpoint);
    const response = await this.request('POST', path, { body });
    const location = this.resolveLocation(response.headers.get('location') ?? undefined) ?? this.resolveLocation(locationOf(response.body));
    let resource = response.body;
    if (!isScimResource(resource)) {
      // No usable body: the id is the last segment of the location, and the state is read back.
      const id = location ? decodeURIComponent(new URL(location).pathname.split('/').pop() ?? '') : '';
      if (!id) throw this.invalidResponse('POST', path, 'the created resource has neither an id nor a location');
      resource = await this.get(endpoint, id);
    }
    const created = resource as ScimResource;
    return { resource: created, id: created.id, location: location ?? this.url(resourcePath(endpoint, created.id)) };
  }

  /**
   * Create without ever creating a duplicate. After an ambiguous failure (timeout, lost
   * connection, 502/504) or a 409, looks the resource up by `key` with a lookup whose "absent" can
   * be believed (filterTrust.ts): one match is adopted; none after an ambiguous failure means the
   * POST did not land and it is sent again (up to maxRetries); several, or an answer that cannot
   * rule the resource out, is an error. A 409 is the server saying "it exists": when the filter
   * cannot find it, the filter is distrusted and the collection is listed.
   */
  async createIdempotent(endpoint: string, body: Record<string, unknown>, key: LookupKey): Promise<IdempotentCreateResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return { ...(await this.create(endpoint, body)), outcome: 'created' };
      } catch (error) {
        if (!isScimError(error) || !(error.ambiguous || error.status === 409)) throw error;
        let lookup = await lookupTrusted(this, endpoint, key.attribute, [key.value], { caseExact: key.caseExact });
        if (error.status === 409 && (lookup.found.get(key.value) ?? []).length === 0 && lookup.method !== 'list') {
          distrust(this, endpoint, key.attribute, 'list');
          lookup = await lookupTrusted(this, endpoint, key.attribute, [key.value], { caseExact: key.caseExact });
        }
        const found = lookup.found.get(key.value) ?? [];
        if (found.length === 1) {
          const resource = found[0]!;
          return { resource, id: resource.id, location: this.resolveLocation(locationOf(resource)), outcome: 'adopted' };
        }
        const refuse = (detail: string) =>
          new ScimError({ kind: 'http', status: 409, scimType: 'uniqueness', method: 'POST', url: this.safeUrl(collectionPath(endpoint)), detail });
        if (found.length > 1) throw refuse(`${found.length} resources match ${key.attribute}; refusing to pick one`);
        if (lookup.unknown.size > 0)
          throw refuse(`the create may have landed, and the server's listing is incomplete, so whether it exists cannot be told; nothing is sent again`);
        if (error.status === 409)
          throw refuse(`the server says a resource with this ${key.attribute} or name exists, but no lookup finds one with ${key.attribute} "${key.value}"`);
        if (attempt >= this.maxRetries) throw error;
      }
    }
  }

  /**
   * GET with the version to send as If-Match: meta.version, else the ETag header (a server may
   * keep one and not the other).
   */
  async read(endpoint: string, id: string): Promise<{ resource: ScimResource; version: string | undefined }> {
    const path = resourcePath(endpoint, id);
    const response = await this.request('GET', path);
    const resource = this.expectResource('GET', path, response.body);
    return { resource, version: versionOf(resource) ?? response.headers.get('etag') ?? undefined };
  }

  /** PUT with a full representation (read it fresh first: PUT may clear omitted attributes). */
  async replace(endpoint: string, id: string, body: Record<string, unknown>, options: VersionOptions = {}): Promise<ScimResource> {
    const path = resourcePath(endpoint, id);
    const response = await this.request('PUT', path, { body, ifMatch: this.ifMatch(options.version) });
    return isScimResource(response.body) ? response.body : this.get(endpoint, id);
  }

  /**
   * PATCH (RFC 7644 §3.5.2). A server may answer 204 without a body (scimmy on a no-op, Entra);
   * with `read: true` the state is then fetched with a GET, so a resource is always returned.
   */
  async patch(endpoint: string, id: string, operations: PatchOperation[], options: VersionOptions & { read: true }): Promise<ScimResource>;
  async patch(endpoint: string, id: string, operations: PatchOperation[], options?: VersionOptions & { read?: boolean }): Promise<ScimResource | undefined>;
  async patch(
    endpoint: string,
    id: string,
    operations: PatchOperation[],
    options: VersionOptions & { read?: boolean } = {},
  ): Promise<ScimResource | undefined> {
    if (operations.length > 0) {
      const ifMatch = this.ifMatch(options.version);
      const response = await this.request('PATCH', resourcePath(endpoint, id), {
        body: patchRequest(operations),
        ifMatch,
        idempotent: ifMatch !== undefined || operations.every((o) => o.op === 'replace'),
      });
      if (isScimResource(response.body)) return response.body;
    }
    return options.read ? this.get(endpoint, id) : undefined;
  }

  /** DELETE; a 404 means it is already gone (`deleted: false`), any 2xx means it was deleted. */
  async delete(endpoint: string, id: string, options: VersionOptions = {}): Promise<{ deleted: boolean }> {
    try {
      await this.request('DELETE', resourcePath(endpoint, id), { ifMatch: this.ifMatch(options.version) });
      return { deleted: true };
    } catch (error) {
      if (isScimError(error) && error.status === 404) return { deleted: false };
      throw error;
    }
  }

  /** One page of a query (`startIndex` is 1-based). */
  async listPage(endpoint: string, query: PageQuery): Promise<ListPage> {
    const path = collectionPath(endpoint);
    const response = await this.request('GET', path, {
      query: {
        filter: query.filter,
        startIndex: query.startIndex,
        count: query.count,
        attributes: query.attributes?.join(','),
        excludedAttributes: query.excludedAttributes?.join(','),
      },
    });
    const page = parseListPage(response.body);
    if (!page) throw this.invalidResponse('GET', path, 'expected a ListResponse');
    return page;
  }

  /** Every resource of a query, with bounded paging (see paging.ts for the stop rules). */
  list(endpoint: string, options: ListOptions = {}): Promise<ListResult> {
    return listAll(this, endpoint, options);
  }

  /** Resources whose `attribute` really equals `value` (the server's answer is verified). */
  findByAttribute(endpoint: string, attribute: string, value: string, options: LookupOptions = {}): Promise<ScimResource[]> {
    return findByAttribute(this, endpoint, attribute, value, options);
  }

  /** Batched lookup: one `or` filter per chunk; falls back to one eq per value where `or` is rejected. */
  findManyByAttribute(endpoint: string, attribute: string, values: readonly string[], options: ManyLookupOptions = {}): Promise<Map<string, ScimResource[]>> {
    return findManyByAttribute(this, endpoint, attribute, values, options);
  }

  /** An absolute URL for a location that may be relative (scimmy's meta.location). */
  resolveLocation(location: string | undefined): string | undefined {
    if (!location) return undefined;
    try {
      return new URL(location, `${this.baseUrl}/`).toString();
    } catch {
      return undefined;
    }
  }

  private ifMatch(version: string | undefined): string | undefined {
    return this.useEtags && version ? version : undefined;
  }

  private safeUrl(path: string, query?: RequestOptions['query']): string {
    return redactUrl(this.url(path, query));
  }

  private expectResource(method: HttpMethod, path: string, body: unknown): ScimResource {
    if (!isScimResource(body)) throw this.invalidResponse(method, path, 'expected a resource with an id');
    return body;
  }

  private invalidResponse(method: HttpMethod, path: string, detail: string): ScimError {
    return new ScimError({ kind: 'invalid-response', status: 0, method, url: this.safeUrl(path), detail });
  }
}

/** `/Users` from `Users`, `/Users/` or `/Users`. */
export function collectionPath(endpoint: string): string {
  return `/${endpoint.replace(/^\/+|\/+$/g, '')}`;
}

/** `/Users/<id>`, the id encoded; an id that cannot stand as one path segment is refused (see isAddressableId). */
export function resourcePath(endpoint: string, id: string): string {
  if (!isAddressableId(id)) {
    throw new ScimError({ kind: 'refused', status: 0, method: 'request', url: collectionPath(endpoint), detail: unaddressableIdDetail(id) });
  }
  return `${collectionPath(endpoint)}/${encodeURIComponent(id)}`;
}

/** Why a server id is refused, in words (the id quoted, shortened). */
export function unaddressableIdDetail(id: unknown): string {
  const shown = typeof id === 'string' ? JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id) : 'no id';
  return `the server gave the resource the id ${shown}, which cannot be used in a URL safely (it would address another resource or the whole collection); it is left untouched`;
}

function locationOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const meta = (body as { meta?: unknown }).meta;
  const location = typeof meta === 'object' && meta !== null ? (meta as { location?: unknown }).location : undefined;
  return typeof location === 'string' ? location : undefined;
}
