import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { URN } from '../../server/src/schema/types';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';

describe('sandbox: discovery, auth and HTTP errors', () => {
  let s: TestSandbox;
  before(async () => {
    s = await withSandbox({ bulk: { maxPayloadSize: 64 * 1024 } });
  });
  after(() => s.dispose());

  it('serves a base URL on loopback with a generated token', () => {
    assert.match(s.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    assert.ok(s.token.length >= 32);
    assert.equal(s.tokenCreated, true);
  });

  it('advertises patch, bulk, filter, sort, etag, bearer auth and agentExtension', async () => {
    const r = await s.request('GET', '/ServiceProviderConfig');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.schemas, [URN.serviceProviderConfig]);
    assert.equal(r.body.patch.supported, true);
    assert.deepEqual(r.body.bulk, { supported: true, maxOperations: 1000, maxPayloadSize: 64 * 1024 });
    assert.equal(r.body.filter.supported, true);
    assert.equal(typeof r.body.filter.maxResults, 'number');
    assert.equal(r.body.sort.supported, true);
    assert.equal(r.body.etag.supported, true);
    assert.equal(r.body.authenticationSchemes[0].type, 'oauthbearertoken');
    assert.deepEqual(r.body.agentExtension, { supported: true, agentsSupported: true, agenticApplicationsSupported: true });
    assert.match(r.headers.get('content-type') ?? '', /^application\/scim\+json/);
  });

  it('refuses a filter on /ServiceProviderConfig with 403', async () => {
    const r = await s.request('GET', '/ServiceProviderConfig?filter=x%20pr');
    assert.equal(r.status, 403);
  });

  it('lists resource types and serves each by name', async () => {
    const r = await s.request('GET', '/ResourceTypes');
    assert.equal(r.status, 200);
    const names = r.body.Resources.map((t: { name: string }) => t.name).sort();
    assert.deepEqual(names, ['Agent', 'AgenticApplication', 'Group', 'User']);
    assert.equal(r.body.totalResults, 4);
    const agent = await s.request('GET', '/ResourceTypes/Agent');
    assert.equal(agent.body.endpoint, '/Agents');
    assert.equal(agent.body.schema, URN.agent);
    assert.equal(agent.body.meta.location, `${s.baseUrl}/ResourceTypes/Agent`);
    assert.equal((await s.request('GET', '/ResourceTypes/Nope')).status, 404);
  });

  it('serves the schemas from the profile definitions, without private annotations', async () => {
    const r = await s.request('GET', '/Schemas');
    const ids = r.body.Resources.map((x: { id: string }) => x.id);
    for (const urn of [URN.user, URN.group, URN.enterpriseUser, URN.agent, URN.agenticApplication]) assert.ok(ids.includes(urn), urn);
    const agent = await s.request('GET', `/Schemas/${URN.agent}`);
    assert.equal(agent.status, 200);
    assert.deepEqual(agent.body.schemas, [URN.schema]);
    const name = agent.body.attributes.find((a: { name: string }) => a.name === 'name');
    assert.equal(name.uniqueness, 'server');
    assert.equal(JSON.stringify(agent.body).includes('x-aliases'), false);
    assert.equal((await s.request('GET', '/Schemas/urn:nope')).status, 404);
  });

  it('answers 401 with an error body without a token or with a wrong one', async () => {
    for (const auth of [undefined, 'Bearer wrong-token-value', `Basic ${s.token}`, `Bearer ${s.token}x`]) {
      const res = await fetch(`${s.baseUrl}/Users`, { headers: auth ? { Authorization: auth } : {} });
      assert.equal(res.status, 401, String(auth));
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      const body = (await res.json()) as { schemas: string[]; status: string };
      assert.deepEqual(body.schemas, [URN.error]);
      assert.equal(body.status, '401');
    }
  });

  it('answers 404 and 405 with error bodies', async () => {
    const r404 = await s.request('GET', '/Nothing');
    assert.equal(r404.status, 404);
    assert.equal(r404.body.status, '404');
    const outside = await s.request('GET', s.url + '/other');
    assert.equal(outside.status, 404);
    const r405 = await s.request('DELETE', '/Users');
    assert.equal(r405.status, 405);
    assert.equal(r405.body.status, '405');
    assert.equal(r405.headers.get('allow'), 'GET, POST');
  });

  it('answers 415 for a body that is not JSON', async () => {
    const r = await s.request('POST', '/Users', 'userName=x', { 'Content-Type': 'text/plain' });
    assert.equal(r.status, 415);
    assert.equal(r.body.status, '415');
    const ok = await s.request('POST', '/Users', { schemas: [URN.user], userName: 'json-ok' }, { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(ok.status, 201);
  });

  it('answers 400 invalidSyntax for malformed JSON and 413 for an oversized body', async () => {
    const bad = await s.request('POST', '/Users', '{"schemas":');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidSyntax');
    const big = await s.request('POST', '/Users', { schemas: [URN.user], userName: 'big', title: 'x'.repeat(70 * 1024) });
    assert.equal(big.status, 413);
  });
});
