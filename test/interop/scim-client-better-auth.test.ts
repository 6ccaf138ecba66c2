// Interop: the SCIM client against the strict better-auth peer (Users and Groups only,
// eq-only filters, no Bulk, 404s with empty bodies).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { URN } from '../../server/src/schema/types';
import {
  ScimClient,
  discoverCapabilities,
  endpointFor,
  isScimError,
  runBulk,
  supportsAgents,
  type ScimLogEntry,
  type ServerCapabilities,
} from '../../server/src/scim';
import { startPeer, type RunningPeer } from '../helpers/peers';

describe('ScimClient against better-auth', () => {
  let peer: RunningPeer;
  let client: ScimClient;
  let caps: ServerCapabilities;
  const logs: ScimLogEntry[] = [];

  before(async () => {
    peer = await startPeer('better-auth');
    client = new ScimClient({ baseUrl: peer.baseUrl, auth: { kind: 'bearer', token: peer.token }, timeoutMs: 10_000, logger: (e) => logs.push(e) });
    caps = await discoverCapabilities(client);
  });
  after(() => peer.stop());

  test('discovery: no Bulk, no ETag, no agents; Users and Groups endpoints', () => {
    assert.equal(caps.discovery.serviceProviderConfig, 'ok');
    assert.equal(caps.patch, true);
    assert.equal(caps.bulk.supported, false);
    assert.equal(caps.etag, false);
    assert.equal(caps.filter.maxResults, 100);
    assert.equal(caps.agentExtension.advertised, false);
    assert.equal(supportsAgents(caps), false);
    assert.equal(endpointFor(caps, URN.agent), undefined);
    assert.equal(endpointFor(caps, URN.user), '/Users');
    assert.equal(endpointFor(caps, URN.group), '/Groups');
  });

  test('User CRUD with Location header, PATCH, DELETE and 404 without a body', async () => {
    const created = await client.create('/Users', { schemas: [URN.user], userName: 'carol@example.com', externalId: 'u-carol', active: true });
    assert.ok(created.location?.startsWith(peer.baseUrl));
    const patched = await client.patch('/Users', created.id, [{ op: 'replace', path: 'active', value: false }], { read: true });
    assert.equal(patched.active, false);
    await assert.rejects(client.create('/Users', { schemas: [URN.user], userName: 'CAROL@example.com' }), (e: unknown) => isScimError(e) && e.status === 409);
    assert.deepEqual(await client.delete('/Users', created.id), { deleted: true });
    await assert.rejects(client.get('/Users', created.id), (e: unknown) => isScimError(e) && e.status === 404 && e.kind === 'http');
    assert.deepEqual(await client.delete('/Users', created.id), { deleted: false });
  });

  test('Group CRUD with a member', async () => {
    const user = await client.create('/Users', { schemas: [URN.user], userName: 'dave@example.com' });
    const group = await client.create('/Groups', { schemas: [URN.group], displayName: 'Reviewers', members: [{ value: user.id }] });
    const read = await client.get('/Groups', group.id);
    assert.deepEqual(
      (read.members as { value: string }[]).map((m) => m.value),
      [user.id],
    );
    const found = await client.findByAttribute('/Groups', 'displayName', 'reviewers');
    assert.deepEqual(
      found.map((g) => g.id),
      [group.id],
      'case-insensitive displayName match verified client-side',
    );
    assert.deepEqual(await client.delete('/Groups', group.id), { deleted: true });
  });

  test('batched lookups fall back to one eq per value when `or` is rejected', async () => {
    const names = ['e1@example.com', 'e2@example.com', 'e3@example.com'];
    for (const userName of names) await client.create('/Users', { schemas: [URN.user], userName, externalId: `ext-${userName}` });
    const mark = logs.length;
    const found = await client.findManyByAttribute('/Users', 'externalId', [...names.map((n) => `ext-${n}`), 'ext-none']);
    const responses = logs.slice(mark).filter((e) => e.event === 'response');
    assert.equal(responses[0]!.status, 400, 'the or-filter was tried first and rejected');
    assert.equal(responses.length, 1 + 4, 'then one request per value');
    assert.deepEqual(
      names.map((n) => found.get(`ext-${n}`)![0]!.userName),
      names,
    );
    assert.equal(found.get('ext-none')!.length, 0);
    const again = await client.findManyByAttribute('/Users', 'userName', ['E1@EXAMPLE.COM']);
    assert.equal(again.get('E1@EXAMPLE.COM')!.length, 1);
  });

  test('paging is exact here as well', async () => {
    const result = await client.list('/Users', { pageSize: 2 });
    assert.equal(result.complete, true);
    assert.equal(result.resources.length, result.totalResults);
  });

  test('Bulk against a server without it fails as a clean ScimError', async () => {
    await assert.rejects(
      runBulk(client, [{ method: 'POST', path: '/Users', bulkId: 'u', data: { schemas: [URN.user], userName: 'bulk@example.com' } }]),
      (e: unknown) => isScimError(e) && (e.status === 404 || e.status === 501) && !e.retryable,
    );
  });

  test('the token never appears in the logger output', () => {
    assert.ok(logs.length > 5);
    assert.ok(!JSON.stringify(logs).includes(peer.token));
  });
});
