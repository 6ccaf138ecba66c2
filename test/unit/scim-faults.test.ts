// Fault injection: a tiny 127.0.0.1 server that answers with exactly the faulty response each
// test needs (throttling, dropped connections, missing bodies). It stands in front of nothing real.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScimClient, isScimError, type ScimLogEntry } from '../../server/src/scim';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
const TOKEN = 'fault-test-token-123';
let handler: Handler;
let server: http.Server;
let baseUrl: string;
const seen: { method: string; url: string; ifMatch?: string }[] = [];
const sleeps: number[] = [];
const logs: ScimLogEntry[] = [];

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'Content-Type': 'application/scim+json', ...headers }).end(JSON.stringify(body));

function client(options: Partial<ConstructorParameters<typeof ScimClient>[0]> = {}): ScimClient {
  return new ScimClient({
    baseUrl,
    auth: { kind: 'bearer', token: TOKEN },
    timeoutMs: 2000,
    maxRetries: 3,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    now: () => Date.parse('2026-11-29T12:00:00Z'),
    logger: (e) => logs.push(e),
    ...options,
  });
}

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, ifMatch: req.headers['if-match'] as string | undefined });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`;
});
after(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  seen.length = 0;
  sleeps.length = 0;
});

/** Answers the n-th request (0-based) with faults[n], later ones with the last entry. */
function sequence(...faults: Handler[]): void {
  let n = 0;
  handler = (req, res, body) => faults[Math.min(n++, faults.length - 1)]!(req, res, body);
}
const ok: Handler = (_q, res) => json(res, 200, { id: '1', userName: 'a' });
const drop: Handler = (req) => req.socket.destroy();

describe('retries', () => {
  test('429 with Retry-After seconds, then 503 with an HTTP-date, then success', async () => {
    sequence(
      (_q, res) => json(res, 429, {}, { 'Retry-After': '2' }),
      (_q, res) => json(res, 503, {}, { 'Retry-After': 'Sun, 29 Nov 2026 12:00:05 GMT' }),
      ok,
    );
    const user = await client().get('/Users', '1');
    assert.equal(user.id, '1');
    assert.deepEqual(sleeps, [2000, 5000]);
  });

  test('429 without Retry-After uses capped exponential backoff, then gives up as retryable', async () => {
    sequence((_q, res) => json(res, 429, { detail: 'slow down' }));
    await assert.rejects(
      client({ retryTuning: { baseDelayMs: 100, maxDelayMs: 300 } }).get('/Users', '1'),
      (e: unknown) => isScimError(e) && e.status === 429 && e.retryable && e.detail === 'slow down',
    );
    assert.equal(seen.length, 4);
    assert.deepEqual(sleeps, [50, 100, 150]);
  });

  test('a Retry-After beyond the limit is not waited for', async () => {
    sequence((_q, res) => json(res, 503, {}, { 'Retry-After': '3600' }));
    await assert.rejects(client().get('/Users', '1'), (e: unknown) => isScimError(e) && e.status === 503 && e.retryable);
    assert.deepEqual(sleeps, []);
  });

  test('POST is retried on 429 (the server did not process it)', async () => {
    sequence(
      (_q, res) => json(res, 429, {}, { 'Retry-After': '1' }),
      (_q, res) => json(res, 201, { id: 'n1', userName: 'x' }),
    );
    const created = await client().create('/Users', { userName: 'x' });
    assert.equal(created.id, 'n1');
    assert.deepEqual(
      seen.map((s) => s.method),
      ['POST', 'POST'],
    );
  });

  test('GET is retried after a dropped connection', async () => {
    sequence(drop, ok);
    assert.equal((await client().get('/Users', '1')).id, '1');
    assert.equal(seen.length, 2);
  });

  test('POST is not retried after a dropped connection: ambiguous error', async () => {
    sequence(drop, (_q, res) => json(res, 201, { id: 'dup' }));
    await assert.rejects(client().create('/Users', { userName: 'x' }), (e: unknown) => isScimError(e) && e.kind === 'network' && e.ambiguous && e.status === 0);
    assert.equal(seen.length, 1);
  });

  test('PATCH with add is not replayed; replace-only PATCH is', async () => {
    sequence(drop, (_q, res) => res.writeHead(204).end(), ok);
    await assert.rejects(
      client().patch('/Users', '1', [{ op: 'add', path: 'emails', value: [{ value: 'x@y' }] }]),
      (e: unknown) => isScimError(e) && e.ambiguous,
    );
    sequence(drop, (_q, res) => res.writeHead(204).end(), ok);
    seen.length = 0;
    const state = await client().patch('/Users', '1', [{ op: 'replace', path: 'active', value: false }], { read: true });
    assert.equal(state.id, '1');
    assert.deepEqual(
      seen.map((s) => s.method),
      ['PATCH', 'PATCH', 'GET'],
      '204 followed by a GET',
    );
  });
});

describe('createIdempotent', () => {
  const listOf = (resources: unknown[]) => ({
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: resources.length,
    Resources: resources,
  });

  test('a POST that timed out but landed is adopted after a lookup, never re-sent', async () => {
    sequence(
      () => {
        /* never answer: the client times out */
      },
      (_q, res) => json(res, 200, listOf([{ id: 'landed', externalId: 'k1' }])),
    );
    const result = await client({ timeoutMs: 150 }).createIdempotent('/Agents', { name: 'a', externalId: 'k1' }, { attribute: 'externalId', value: 'k1' });
    assert.deepEqual([result.outcome, result.id], ['adopted', 'landed']);
    // An unfiltered page (the facts), the `or` filter checked against them, then the lookup itself.
    assert.deepEqual(
      seen.map((s) => s.method),
      ['POST', 'GET', 'GET', 'GET'],
    );
    assert.doesNotMatch(decodeURIComponent(seen[1]!.url), /filter=/);
    assert.match(decodeURIComponent(seen[2]!.url), /filter=externalId eq "[^"]+" or externalId eq "k1"/);
    assert.match(decodeURIComponent(seen[3]!.url), /filter=externalId eq "k1"/);
  });

  test('a POST that did not land is sent again after the lookup shows nothing; wrong matches are ignored', async () => {
    sequence(
      drop,
      (_q, res) => json(res, 200, listOf([{ id: 'wrong', externalId: 'other' }])),
      (_q, res) => json(res, 200, listOf([{ id: 'wrong', externalId: 'other' }])),
      (_q, res) => json(res, 200, listOf([{ id: 'wrong', externalId: 'other' }])),
      (_q, res) => json(res, 201, { id: 'new', externalId: 'k2' }),
    );
    const result = await client().createIdempotent('/Agents', { name: 'b', externalId: 'k2' }, { attribute: 'externalId', value: 'k2' });
    assert.deepEqual([result.outcome, result.id], ['created', 'new']);
    assert.deepEqual(
      seen.map((s) => s.method),
      ['POST', 'GET', 'GET', 'GET', 'POST'],
    );
  });
});

describe('createIdempotent after a 409 the filter contradicts', () => {
  test('a 409 means "it exists": when the filter finds nothing, the collection is listed and the resource adopted', async () => {
    const other = { id: 'other', externalId: 'other' };
    const existing = { id: 'existing', externalId: 'k3' };
    handler = (req, res) => {
      const url = decodeURIComponent(req.url!);
      if (req.method === 'POST') return json(res, 409, { status: '409', scimType: 'uniqueness', detail: 'exists' });
      if (url.includes('filter=externalId eq "k3"')) return json(res, 200, { totalResults: 0, Resources: [] }); // the filter lies
      if (url.includes('filter=')) return json(res, 200, { totalResults: 1, Resources: [other] });
      if (url.includes('count=50')) return json(res, 200, { totalResults: 2, Resources: [other] }); // the sample page
      return json(res, 200, { totalResults: 2, Resources: [other, existing] });
    };
    const result = await client().createIdempotent('/Agents', { name: 'c', externalId: 'k3' }, { attribute: 'externalId', value: 'k3' });
    assert.deepEqual([result.outcome, result.id], ['adopted', 'existing']);
    assert.equal(seen.filter((s) => s.method === 'POST').length, 1, 'never POSTed again');
    assert.doesNotMatch(decodeURIComponent(seen.at(-1)!.url), /filter=/, 'the last word was the listing');
  });
});

describe('responses servers get wrong', () => {
  test('201 without body or id: the id comes from Location and the state from a GET', async () => {
    sequence(
      (_q, res) => res.writeHead(201, { Location: `${baseUrl}/Users/abc` }).end(),
      (_q, res) => json(res, 200, { id: 'abc', userName: 'z' }),
    );
    const created = await client().create('/Users', { userName: 'z' });
    assert.equal(created.id, 'abc');
    assert.equal(created.resource.userName, 'z');
  });

  test('404 with an empty non-JSON body, 500 with HTML, 400 with a numeric status', async () => {
    sequence((_q, res) => res.writeHead(404).end());
    await assert.rejects(client().get('/Users', 'x'), (e: unknown) => isScimError(e) && e.status === 404 && e.detail === undefined && !e.retryable);
    sequence((_q, res) => res.writeHead(500, { 'Content-Type': 'text/html' }).end('<h1>oops</h1>'));
    await assert.rejects(client().get('/Users', 'x'), (e: unknown) => isScimError(e) && e.status === 500 && e.kind === 'http');
    sequence((_q, res) => json(res, 400, { status: 400, scimType: 'invalidValue', detail: 'bad' }));
    await assert.rejects(client().create('/Users', {}), (e: unknown) => isScimError(e) && e.scimType === 'invalidValue' && e.method === 'POST');
  });

  test('a 200 list that is not a ListResponse is an invalid-response error', async () => {
    sequence((_q, res) => json(res, 200, { hello: 'world' }));
    await assert.rejects(client().list('/Users'), (e: unknown) => isScimError(e) && e.kind === 'invalid-response');
  });

  test('paging stops when a server ignores startIndex (repeated ids) and reports incompleteness', async () => {
    sequence((_q, res) => json(res, 200, { totalResults: 10, itemsPerPage: 2, Resources: [{ id: 'a' }, { id: 'b' }] }));
    const result = await client().list('/Users', { pageSize: 2 });
    assert.deepEqual(
      result.resources.map((r) => r.id),
      ['a', 'b'],
    );
    assert.equal(result.complete, false);
    assert.equal(result.requests, 2);
  });

  test('If-Match is sent only when ETags are enabled', async () => {
    sequence((_q, res) => res.writeHead(204).end());
    await client().patch('/Users', '1', [{ op: 'replace', path: 'active', value: false }], { version: 'W/"1"' });
    await client({ useEtags: true }).patch('/Users', '1', [{ op: 'replace', path: 'active', value: false }], { version: 'W/"1"' });
    assert.deepEqual(
      seen.map((s) => s.ifMatch),
      [undefined, 'W/"1"'],
    );
  });
});

describe('secrets', () => {
  test('a token echoed by the server never reaches the error or the logs', async () => {
    sequence((req, res) => json(res, 401, { detail: `invalid credentials: ${req.headers.authorization}` }));
    await assert.rejects(
      client().get('/Users', '1'),
      (e: unknown) => isScimError(e) && e.status === 401 && !e.message.includes(TOKEN) && !String(e.detail).includes(TOKEN),
    );
    const text = JSON.stringify(logs);
    assert.ok(logs.length > 0 && !text.includes(TOKEN));
    assert.ok(logs.some((e) => e.headers?.Authorization === '[redacted]'));
  });
});
