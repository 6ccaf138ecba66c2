/**
 * A quirk-injecting HTTP proxy on 127.0.0.1 in front of a real SCIM server. Where the fault proxy
 * breaks the transport, this one makes a correct server behave like the lax ones seen in the
 * wild (Okta, Entra, Ping, WSO2, jackson), each quirk switched on by one option:
 *
 *   noDiscovery        /ServiceProviderConfig, /ResourceTypes and /Schemas answer 404
 *   hideEtagSupport    the ServiceProviderConfig says etag.supported: false (whatever the server does)
 *   filters            'ignore-or': any filter with `or` answers 200 with no results;
 *                      { answerAs }: every `attr eq "v"` is answered as `answerAs eq "v"` (jackson)
 *   lagMs              resources created through the proxy stay invisible to filtered GETs that long
 *   pageCap            no answer shows a resource past that index (totalResults stays true)
 *   partialBulkIds     /Bulk is run by the proxy, one POST per operation, substituting only the
 *                      first `bulkId:` reference of each operation (the rest stay literal)
 *   hostileIds         resources whose name/userName/displayName is a key get that id in every answer
 *   requireIfMatch     PATCH, PUT and DELETE without If-Match answer 428
 *   concurrentWrites   before a conditional PATCH is forwarded, another writer changes the resource,
 *                      so the client's If-Match is stale and the server answers a real 412
 *   echoToken          these attributes of every resource answered hold the request's bearer token
 *                      (`note <token> end`), as a server with a broken mapping echoes it
 *   failWith           requests it matches answer an error with this status and detail (control
 *                      characters, forged workflow commands: whatever the test gives)
 *   emptyHugeListing   list answers it matches say totalResults: 1e12 and hold no resources
 *
 * Everything else is forwarded unchanged; the log records every request the client made.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { HOP_BY_HOP, forwardTo, withWholeBody, type UpstreamAnswer } from './faultProxy';

export interface Quirks {
  noDiscovery?: boolean;
  hideEtagSupport?: boolean;
  filters?: 'ignore-or' | { answerAs: string };
  lagMs?: number;
  pageCap?: number;
  partialBulkIds?: boolean;
  hostileIds?: Record<string, string>;
  requireIfMatch?: boolean;
  /** How many conditional PATCHes get a concurrent write first, and what that write replaces (the value gets a counter). */
  concurrentWrites?: { times: number; path: string; value: string; match?: (path: string) => boolean };
  echoToken?: string[];
  failWith?: { status: number; detail: string; match: (method: string, path: string) => boolean };
  emptyHugeListing?: (path: string, filter: string | null) => boolean;
}

export interface QuirkLogEntry {
  method: string;
  path: string;
  status: number;
  ifMatch: boolean;
}

export interface QuirkProxy {
  /** The upstream base URL with the proxy's origin: what the client is given. */
  baseUrl: string;
  readonly log: QuirkLogEntry[];
  /** Requests logged since `mark` (a count of log entries). */
  since(mark: number): QuirkLogEntry[];
  close(): Promise<void>;
}

const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const NAME_KEYS = ['name', 'userName', 'displayName'];

type Answer = UpstreamAnswer;

export async function startQuirkProxy(upstreamBaseUrl: string, quirks: Quirks): Promise<QuirkProxy> {
  const upstream = new URL(upstreamBaseUrl);
  const basePath = upstream.pathname.replace(/\/+$/, '');
  const log: QuirkLogEntry[] = [];
  const createdAt = new Map<string, number>();
  let concurrentLeft = quirks.concurrentWrites?.times ?? 0;
  let concurrentWrites = 0;

  const send = (method: string, path: string, headers: http.IncomingHttpHeaders, body: Buffer) => forwardTo(upstream, method, path, headers, body);

  const json = (status: number, value: unknown): Answer => ({
    status,
    headers: { 'content-type': 'application/scim+json' },
    body: Buffer.from(JSON.stringify(value)),
  });
  const error = (status: number, detail: string, scimType?: string) =>
    json(status, { schemas: [ERROR], status: String(status), ...(scimType ? { scimType } : {}), detail });
  const parse = (body: Buffer): any => {
    try {
      return JSON.parse(body.toString('utf8'));
    } catch {
      return undefined;
    }
  };

  /** The resource path below the SCIM base: `/Agents`, `/Agents/42`, `/Bulk`. */
  const relative = (path: string) => path.slice(basePath.length).replace(/\?.*$/, '');

  function disguise(resource: any): void {
    if (!quirks.hostileIds || typeof resource !== 'object' || resource === null) return;
    const key = NAME_KEYS.map((k) => resource[k]).find((v) => typeof v === 'string' && quirks.hostileIds![v] !== undefined);
    if (key === undefined || typeof resource.id !== 'string') return;
    const fake = quirks.hostileIds[key]!;
    if (resource.meta?.location) resource.meta.location = String(resource.meta.location).replace(resource.id, encodeURIComponent(fake));
    resource.id = fake;
  }

  async function handle(method: string, path: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<Answer> {
    const rel = relative(path);
    const query = new URL(path, 'http://x').searchParams;
    if (quirks.noDiscovery && /^\/(ServiceProviderConfig|ResourceTypes|Schemas)(\/|$)/i.test(rel)) return { status: 404, headers: {}, body: Buffer.alloc(0) };
    if (quirks.requireIfMatch && (method === 'PATCH' || method === 'PUT' || method === 'DELETE') && !headers['if-match']) {
      return error(428, 'This server requires If-Match on every change');
    }
    if (quirks.failWith?.match(method, rel)) return error(quirks.failWith.status, quirks.failWith.detail);
    if (method === 'GET' && quirks.emptyHugeListing?.(rel, query.get('filter')))
      return json(200, { schemas: [LIST], totalResults: 1e12, startIndex: 1, itemsPerPage: 0, Resources: [] });
    if (quirks.partialBulkIds && method === 'POST' && /^\/Bulk$/i.test(rel)) return partialBulk(headers, body);
    if (concurrentLeft > 0 && method === 'PATCH' && headers['if-match'] && (quirks.concurrentWrites!.match?.(rel) ?? true)) {
      concurrentLeft--;
      concurrentWrites++;
      // A different value each time: a write that changes nothing would not change the version.
      const value = `${String(quirks.concurrentWrites!.value)} (${concurrentWrites})`;
      const other = Buffer.from(
        JSON.stringify({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'replace', path: quirks.concurrentWrites!.path, value }],
        }),
      );
      const { 'if-match': _ifMatch, ...unconditional } = headers;
      await send('PATCH', path, unconditional, other);
    }
    let forwardPath = path;
    const filter = query.get('filter');
    if (method === 'GET' && filter !== null && quirks.filters) {
      if (quirks.filters === 'ignore-or' && /\bor\b/i.test(filter.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) {
        return json(200, { schemas: [LIST], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
      }
      if (typeof quirks.filters === 'object') {
        const target = quirks.filters.answerAs;
        const rewritten = filter.replace(/(^|\(|\s)[A-Za-z][\w.:$-]*(\s+eq\s+)/gi, (_m, before: string, op: string) => `${before}${target}${op}`);
        query.set('filter', rewritten);
        forwardPath = `${path.replace(/\?.*$/, '')}?${query.toString().replace(/\+/g, '%20')}`;
      }
    }
    const answer = await send(method, forwardPath, headers, body);
    const value = parse(answer.body);
    if (value === undefined) return answer;
    if (method === 'POST' && answer.status === 201 && typeof value.id === 'string') createdAt.set(value.id, Date.now());
    if (method === 'POST' && /^\/Bulk$/i.test(rel) && Array.isArray(value.Operations)) {
      for (const op of value.Operations) {
        const id = op?.response?.id ?? (typeof op?.location === 'string' ? decodeURIComponent(op.location.split('/').pop()) : undefined);
        if (String(op?.status ?? '').startsWith('2') && id) createdAt.set(id, Date.now());
      }
    }
    if (/^\/ServiceProviderConfig$/i.test(rel) && quirks.hideEtagSupport) value.etag = { supported: false };
    const echo = (resource: any) => {
      const token = String(headers.authorization ?? '').replace(/^Bearer\s+/i, '');
      if (!resource || typeof resource !== 'object' || !Array.isArray(resource.schemas)) return;
      for (const name of quirks.echoToken ?? []) resource[name] = `note ${token} end`;
    };
    if (Array.isArray(value.Resources)) {
      let resources: any[] = value.Resources;
      if (filter !== null && quirks.lagMs) resources = resources.filter((r) => !(createdAt.has(r.id) && Date.now() - createdAt.get(r.id)! < quirks.lagMs!));
      if (filter !== null && quirks.lagMs && typeof value.totalResults === 'number') value.totalResults -= value.Resources.length - resources.length;
      if (quirks.pageCap !== undefined) {
        const start = Math.max(1, Number(query.get('startIndex') ?? 1) || 1);
        resources = resources.filter((_r, i) => start + i <= quirks.pageCap!);
      }
      resources.forEach(disguise);
      resources.forEach(echo);
      value.Resources = resources;
      value.itemsPerPage = resources.length;
    } else {
      disguise(value);
      if (!/^\/(ServiceProviderConfig|ResourceTypes|Schemas)(\/|$)/i.test(rel)) echo(value);
    }
    return { ...answer, body: Buffer.from(JSON.stringify(value)) };
  }

  /** A Bulk of its own: operations one by one, each with only its first `bulkId:` reference resolved. */
  async function partialBulk(headers: http.IncomingHttpHeaders, body: Buffer): Promise<Answer> {
    const request = parse(body);
    const ids = new Map<string, string>();
    const results: unknown[] = [];
    for (const op of Array.isArray(request?.Operations) ? request.Operations : []) {
      let substituted = false;
      const substitute = (value: unknown): unknown => {
        if (typeof value === 'string') {
          const m = /^bulkId:(.+)$/.exec(value);
          if (m && !substituted && ids.has(m[1]!)) {
            substituted = true;
            return ids.get(m[1]!);
          }
          return value;
        }
        if (Array.isArray(value)) return value.map(substitute);
        if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
        return value;
      };
      const data = Buffer.from(JSON.stringify(substitute(op.data)));
      const answer = await send(
        op.method,
        `${basePath}${op.path}`,
        { authorization: headers.authorization, 'content-type': 'application/scim+json', accept: 'application/scim+json' },
        data,
      );
      const created = parse(answer.body);
      if (answer.status === 201 && typeof created?.id === 'string') {
        ids.set(op.bulkId, created.id);
        createdAt.set(created.id, Date.now());
      }
      disguise(created);
      results.push({
        method: op.method,
        bulkId: op.bulkId,
        status: String(answer.status),
        ...(answer.status === 201 ? { location: `${basePath}${op.path}/${encodeURIComponent(created.id)}` } : { response: created }),
      });
    }
    return json(200, { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkResponse'], Operations: results });
  }

  const server = http.createServer(
    withWholeBody((req, res, body) => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      handle(method, path, req.headers, body).then(
        (answer) => {
          log.push({ method, path, status: answer.status, ifMatch: Boolean(req.headers['if-match']) });
          const out: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
          out['content-length'] = String(answer.body.length);
          res.writeHead(answer.status, out);
          res.end(answer.body);
        },
        (e: Error) => {
          log.push({ method, path, status: 502, ifMatch: Boolean(req.headers['if-match']) });
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`quirk proxy: ${e.message}`);
        },
      );
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: origin + basePath,
    log,
    since: (mark) => log.slice(mark),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
