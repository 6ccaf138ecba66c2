import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ScimClient, isScimError } from '../../server/src/scim';

type Call = { url: string; headers: Record<string, string>; body?: string };

/** A fetch stand-in: the token endpoint and a SCIM endpoint that accepts only the current token. */
function fakeFetch(state: { issued: number; valid: Set<string>; calls: Call[] }): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = init?.headers as Record<string, string>;
    state.calls.push({ url, headers, body: init?.body as string | undefined });
    if (url.endsWith('/token')) {
      const token = `access-${++state.issued}`;
      state.valid.add(token);
      return new Response(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }), { status: 200 });
    }
    const token = headers.Authorization.replace('Bearer ', '');
    if (!state.valid.has(token)) return new Response('', { status: 401 });
    return new Response(JSON.stringify({ id: '1' }), { status: 200 });
  }) as typeof fetch;
}

describe('OAuth 2.0 client credentials', () => {
  test('the token is fetched once, cached until expiry, then refreshed', async () => {
    const state = { issued: 0, valid: new Set<string>(), calls: [] as Call[] };
    let now = 1_000_000;
    const client = new ScimClient({
      baseUrl: 'https://scim.test/v2',
      fetchImpl: fakeFetch(state),
      now: () => now,
      auth: { kind: 'oauth2-client-credentials', tokenUrl: 'https://auth.test/token', clientId: 'cid', clientSecret: 'csecret', scope: 'scim' },
    });
    await client.get('/Users', '1');
    await client.get('/Users', '1');
    assert.equal(state.issued, 1);
    const tokenCall = state.calls[0]!;
    assert.equal(tokenCall.headers.Authorization, `Basic ${Buffer.from('cid:csecret').toString('base64')}`);
    assert.equal(tokenCall.body, 'grant_type=client_credentials&scope=scim');
    now += 3600_000;
    await client.get('/Users', '1');
    assert.equal(state.issued, 2);
    assert.equal(state.calls.at(-1)!.headers.Authorization, 'Bearer access-2');
  });

  test('a 401 drops the cached token and retries once with a new one', async () => {
    const state = { issued: 0, valid: new Set<string>(), calls: [] as Call[] };
    const client = new ScimClient({
      baseUrl: 'https://scim.test/v2',
      fetchImpl: fakeFetch(state),
      auth: { kind: 'oauth2-client-credentials', tokenUrl: 'https://auth.test/token', clientId: 'cid', clientSecret: 'csecret' },
    });
    await client.get('/Users', '1');
    state.valid.clear(); // revoked early
    assert.equal((await client.get('/Users', '1')).id, '1');
    assert.equal(state.issued, 2);
  });

  test('a rejected token request is a ScimError without the secret', async () => {
    const fetchImpl = (async () =>
      new Response(JSON.stringify({ error: 'invalid_client', error_description: 'csecret is wrong' }), { status: 401 })) as typeof fetch;
    const client = new ScimClient({
      baseUrl: 'https://scim.test/v2',
      fetchImpl,
      auth: { kind: 'oauth2-client-credentials', tokenUrl: 'https://auth.test/token?client_secret=csecret', clientId: 'cid', clientSecret: 'csecret' },
    });
    await assert.rejects(
      client.get('/Users', '1'),
      (e: unknown) => isScimError(e) && e.status === 401 && e.detail!.includes('invalid_client') && !e.message.includes('csecret'),
    );
  });
});
