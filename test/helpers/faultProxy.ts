/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of a real SCIM server. Every request is
 * forwarded unchanged unless a rule matches it; a rule injects one fault, a number of times:
 *
 *   reset-before   the connection is reset before anything reaches the server
 *   reset-after    the server acts and answers; the client's connection is reset instead
 *   drop-response  the server acts and answers; the client hears nothing, ever (its timeout fires)
 *   delay          the request waits `ms` before it is forwarded (past the client's timeout);
 *                  with `forwardAnyway` it still reaches the server after the client gave up
 *   status         429/500/503 answered by the proxy (optionally with Retry-After), not forwarded
 *   slow-body      the server's answer is streamed in small chunks, `chunkDelayMs` apart
 *
 * A fault-free proxy is a plain pass-through, so scenarios differ only in their rules.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'reset-before' }
  | { kind: 'reset-after' }
  | { kind: 'drop-response' }
  | { kind: 'delay'; ms: number; forwardAnyway?: boolean }
  | { kind: 'status'; status: number; retryAfter?: string; body?: string }
  | { kind: 'slow-body'; chunkSize: number; chunkDelayMs: number };

export interface FaultRule {
  /** Which requests the rule applies to (method and path, query included). */
  match: (req: { method: string; path: string }) => boolean;
  fault: Fault;
  /** How many matching requests get the fault (default: all of them). */
  times?: number;
  /** Matching requests to let through untouched before the first fault (default 0). */
  skip?: number;
}

export interface ProxyLogEntry {
  method: string;
  path: string;
  fault?: Fault['kind'];
  /** Whether the request reached the server. */
  forwarded: boolean;
  status?: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** The same URL with the upstream origin replaced by the proxy's. */
  via(upstreamUrl: string): string;
  setRules(rules: FaultRule[]): void;
  readonly log: ProxyLogEntry[];
  /** Called as each request arrives (after its fault is chosen): tests wait on it, not on the clock. */
  onRequest(listener: (entry: ProxyLogEntry) => void): () => void;
  /** Called when the server has answered a forwarded request (whatever the client then gets). */
  onUpstreamAnswer(listener: (entry: ProxyLogEntry) => void): () => void;
  close(): Promise<void>;
}

/** Headers that belong to one connection, never forwarded (the quirk proxy uses the same list). */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'proxy-connection', 'upgrade', 'te', 'trailer']);

export interface UpstreamAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request to the upstream server, headers passed on (except hop-by-hop), the whole answer read. */
export function forwardTo(upstream: URL, method: string, path: string, incoming: http.IncomingHttpHeaders, body: Buffer): Promise<UpstreamAnswer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(incoming)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
    headers['content-length'] = String(body.length);
    const out = http.request({ host: upstream.hostname, port: upstream.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    out.on('error', reject);
    out.end(body);
  });
}

/** A request listener that runs once the whole request body has arrived. */
export function withWholeBody(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void): http.RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  };
}

function reset(socket: Socket): void {
  // A TCP RST where the platform allows it, else an abrupt close.
  if (typeof (socket as Socket & { resetAndDestroy?: () => void }).resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

export async function startFaultProxy(upstreamOrigin: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamOrigin);
  let rules: { rule: FaultRule; seen: number; used: number }[] = [];
  const log: ProxyLogEntry[] = [];
  const listeners = new Set<(entry: ProxyLogEntry) => void>();
  const answered = new Set<(entry: ProxyLogEntry) => void>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, f: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      f();
    }, ms);
    timers.add(t);
  };

  function pick(method: string, path: string): Fault | undefined {
    for (const r of rules) {
      if (!r.rule.match({ method, path })) continue;
      r.seen++;
      if (r.seen <= (r.rule.skip ?? 0)) continue;
      if (r.used >= (r.rule.times ?? Infinity)) continue;
      r.used++;
      return r.rule.fault;
    }
    return undefined;
  }

  const forward = (req: http.IncomingMessage, body: Buffer) => forwardTo(upstream, req.method ?? 'GET', req.url ?? '/', req.headers, body);

  function answer(res: http.ServerResponse, status: number, headers: http.IncomingHttpHeaders, body: Buffer): void {
    const out: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
    out['content-length'] = String(body.length);
    res.writeHead(status, out);
    res.end(body);
  }

  const server = http.createServer(
    withWholeBody((req, res, body) => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const fault = pick(method, path);
      const entry: ProxyLogEntry = { method, path, forwarded: false, ...(fault ? { fault: fault.kind } : {}) };
      log.push(entry);
      for (const l of listeners) l(entry);
      const go = async () => {
        let upstreamRes;
        try {
          entry.forwarded = true;
          upstreamRes = await forward(req, body);
        } catch (e) {
          if (!res.headersSent && !res.destroyed) answer(res, 502, { 'content-type': 'text/plain' }, Buffer.from(`proxy: ${(e as Error).message}`));
          return;
        }
        entry.status = upstreamRes.status;
        for (const l of answered) l(entry);
        if (fault?.kind === 'reset-after') return reset(req.socket);
        if (fault?.kind === 'drop-response') return; // the socket stays open and silent
        if (res.destroyed) return;
        if (fault?.kind === 'slow-body') {
          const out: http.OutgoingHttpHeaders = {};
          for (const [k, v] of Object.entries(upstreamRes.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) out[k] = v;
          res.writeHead(upstreamRes.status, out);
          const data = upstreamRes.body;
          let offset = 0;
          const next = () => {
            if (res.destroyed) return;
            if (offset >= data.length) return void res.end();
            res.write(data.subarray(offset, offset + fault.chunkSize));
            offset += fault.chunkSize;
            later(fault.chunkDelayMs, next);
          };
          return next();
        }
        answer(res, upstreamRes.status, upstreamRes.headers, upstreamRes.body);
      };
      if (!fault || fault.kind === 'reset-after' || fault.kind === 'drop-response' || fault.kind === 'slow-body') return void go();
      if (fault.kind === 'reset-before') return reset(req.socket);
      if (fault.kind === 'status') {
        entry.status = fault.status;
        const headers: http.IncomingHttpHeaders = { 'content-type': 'application/scim+json' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        const text =
          fault.body ??
          JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(fault.status), detail: 'injected by the fault proxy' });
        return answer(res, fault.status, headers, Buffer.from(text));
      }
      // delay
      later(fault.ms, () => {
        if (req.socket.destroyed && !fault.forwardAnyway) return; // the client gave up: nothing reaches the server
        void go();
      });
    }),
  );
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    via: (url) => {
      const u = new URL(url);
      if (u.origin !== upstream.origin) throw new Error(`${url} is not behind this proxy (${upstream.origin})`);
      return origin + u.pathname + u.search;
    },
    setRules(next) {
      rules = next.map((rule) => ({ rule, seen: 0, used: 0 }));
    },
    log,
    onRequest(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onUpstreamAnswer(listener) {
      answered.add(listener);
      return () => answered.delete(listener);
    },
    close: async () => {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
