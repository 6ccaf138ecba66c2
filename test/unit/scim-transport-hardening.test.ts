// The SCIM client against hostile servers (real HTTP servers on 127.0.0.1): an endless
// response body is cut off at the cap with a clear error and bounded memory; the OAuth token
// request does not follow redirects; a token disguised in an error body is still scrubbed.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { ScimClient, isScimError } from '../../server/src/scim';
import { scrubSecrets } from '../../server/src/scim/redact';
import { MAX_JSON_DEPTH } from '../../server/src/scim/json';

async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The error a request fails with, and how far the process's RSS rose above where it was while it ran (sampled every 20 ms). */
async function failureAndRssGrowth(request: () => Promise<unknown>): Promise<{ error: unknown; grewMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  let error: unknown;
  try {
    await request();
  } catch (e) {
    error = e;
  } finally {
    clearInterval(sampler);
  }
  return { error, grewMb: (peak - before) / (1024 * 1024) };
}

const TOKEN = 'Tok3n-abcdefghijklmnopqrstuvwxyz-0123456789';

describe('SCIM client transport: response bodies, redirects, scrubbing', () => {
  test('an endless response body stops at 32 MB with a clear error, and memory stays bounded', async () => {
    let sent = 0;
    const chunk = Buffer.alloc(256 * 1024, '[');
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/scim+json' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    try {
      const client = new ScimClient({ baseUrl: `${server.url}/scim/v2`, auth: { kind: 'bearer', token: TOKEN }, maxRetries: 0, timeoutMs: 60_000 });
      const { error, grewMb } = await failureAndRssGrowth(() => client.get('/Users', '1'));
      assert.ok(isScimError(error), String(error));
      assert.equal(error.kind, 'invalid-response');
      assert.match(error.message, /response body over 32 MB \(stopped reading\)/);
      assert.ok(sent < 200 * 1024 * 1024, `${sent} bytes sent before the client stopped reading`);
      assert.ok(grewMb < 300, `RSS grew by ${grewMb.toFixed(0)} MB`);
    } finally {
      await server.close();
    }
  });

  test('a body of millions of nested brackets under the size cap is not parsed: a clear error, memory bounded', async () => {
    // 28 MB of `[[[…]]]` inside a resource: JSON.parse of it took 3.3 GB and half a minute.
    const n = 14_000_000;
    const body = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Agent"],"id":"1","x":${'['.repeat(n)}${']'.repeat(n)}}`;
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/scim+json' });
      res.end(body);
    });
    try {
      const client = new ScimClient({ baseUrl: `${server.url}/scim/v2`, auth: { kind: 'bearer', token: TOKEN }, maxRetries: 0, timeoutMs: 60_000 });
      const { error, grewMb } = await failureAndRssGrowth(() => client.get('/Agents', '1'));
      assert.ok(isScimError(error), String(error));
      assert.equal(error.kind, 'invalid-response');
      assert.ok(grewMb < 400, `RSS grew by ${grewMb.toFixed(0)} MB`);
    } finally {
      await server.close();
    }
  });

  test('JSON as deep as the limit is read; one level more is not', async () => {
    // The resource object is one level, the value the rest.
    const nested = (levels: number) => `${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}`;
    const body = (levels: number) => `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Agent"],"id":"1","x":${nested(levels)}}`;
    // Brackets in strings do not count.
    const quoted = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Agent"],"id":"1","x":"${'['.repeat(500)}\\"${'{'.repeat(500)}"}`;
    let answer = '';
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/scim+json' });
      res.end(answer);
    });
    try {
      const client = new ScimClient({ baseUrl: `${server.url}/scim/v2`, auth: { kind: 'bearer', token: TOKEN }, maxRetries: 0 });
      answer = body(MAX_JSON_DEPTH);
      assert.equal((await client.get('/Agents', '1')).id, '1');
      answer = quoted;
      assert.equal((await client.get('/Agents', '1')).id, '1');
      answer = body(MAX_JSON_DEPTH + 1);
      await assert.rejects(client.get('/Agents', '1'), (e: unknown) => isScimError(e) && e.kind === 'invalid-response');
    } finally {
      await server.close();
    }
  });

  test('the OAuth token request does not follow a redirect; the error names the status, not the location', async () => {
    let followed = false;
    const server = await serve((req, res) => {
      if (req.url === '/elsewhere') {
        followed = true;
        res.writeHead(200).end('{"access_token":"stolen"}');
        return;
      }
      res.writeHead(307, { Location: '/elsewhere?code=SECRET-LOCATION' }).end();
    });
    try {
      const client = new ScimClient({
        baseUrl: `${server.url}/scim/v2`,
        maxRetries: 0,
        auth: { kind: 'oauth2-client-credentials', tokenUrl: `${server.url}/token`, clientId: 'cid', clientSecret: 'client-secret-value' },
      });
      const error = await client.get('/Users', '1').then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(isScimError(error), String(error));
      assert.equal(followed, false, 'the redirect was followed with the client credentials');
      assert.match(error.message, /redirect \(307\)/);
      assert.ok(!error.message.includes('SECRET-LOCATION') && !error.message.includes('elsewhere'), error.message);
    } finally {
      await server.close();
    }
  });

  test('a token disguised in an error body (format characters, JSON escapes, base64, percent-encoding) is scrubbed', async () => {
    const b64 = Buffer.from(TOKEN).toString('base64');
    const disguises = [
      TOKEN.slice(0, 10) + '\u200b' + TOKEN.slice(10, 20) + '\u2060\u00ad' + TOKEN.slice(20),
      TOKEN.slice(0, 10) + '\\u200b' + TOKEN.slice(10).replace('a', '\\u0061'),
      b64,
      Buffer.from(TOKEN).toString('base64url'),
      encodeURIComponent(TOKEN),
      // Inside a longer base64 run, at each of the three alignments.
      ...[1, 2, 3].map((n) => Buffer.from('x'.repeat(n) + 'Bearer ' + TOKEN + ' trailer').toString('base64')),
    ];
    for (const disguise of disguises) {
      const server = await serve((_req, res) => {
        res.writeHead(400, { 'Content-Type': 'application/scim+json' });
        res.end(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","detail":"rejected: ${disguise}"}`);
      });
      try {
        const client = new ScimClient({ baseUrl: `${server.url}/scim/v2`, auth: { kind: 'bearer', token: TOKEN }, maxRetries: 0 });
        const error = await client.get('/Users', '1').then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(isScimError(error), String(error));
        assert.match(error.message, /rejected: .*\[redacted\]/, disguise);
        const shown = error.message.replace(/[\u200b\u2060\u00ad]/g, '');
        assert.ok(!shown.includes(TOKEN.slice(0, 12)) && !shown.includes(TOKEN.slice(-12)), `${disguise} → ${error.message}`);
        assert.ok(!shown.includes(b64.slice(4, 20)), `${disguise} → ${error.message}`);
      } finally {
        await server.close();
      }
    }
  });

  test('scrubbing keeps other text and valid JSON escapes intact', () => {
    assert.equal(scrubSecrets('a \\"quoted\\" \\\\u0041 line', [TOKEN]), 'a \\"quoted\\" \\\\u0041 line');
    // Without a secret the text is returned as it was (scrubbing also runs over rendered outputs).
    assert.equal(scrubSecrets('caf\\u00e9 ok \\u200b', [TOKEN]), 'caf\\u00e9 ok \\u200b');
    assert.equal(scrubSecrets(`caf\\u00e9 ${TOKEN}`, [TOKEN]), 'café [redacted]');
    // Escapes of what printing escapes (line separators, DEL, C1) are never turned back into the characters.
    assert.equal(scrubSecrets(`a\\u2028b\\u0085c\\u007f ${TOKEN}`, [TOKEN]), 'a\\u2028b\\u0085c\\u007f [redacted]');
    assert.equal(JSON.parse(scrubSecrets('{"d":"x\\u0022y\\\\z"}', [TOKEN])).d, 'x"y\\z');
  });
});
