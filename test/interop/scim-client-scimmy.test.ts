// Interop: the SCIM client against the real scimmy peer (Users, Groups, Agents,
// AgenticApplications), with Express's mismatching ETag on and off.
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

const variants: { name: string; env: Record<string, string> }[] = [
  { name: 'express etag on', env: {} },
  { name: 'NO_EXPRESS_ETAG', env: { NO_EXPRESS_ETAG: '1' } },
];
for (const variant of variants) {
  describe(`ScimClient against scimmy (${variant.name})`, () => {
    let peer: RunningPeer;
    let client: ScimClient;
    let caps: ServerCapabilities;
    const logs: ScimLogEntry[] = [];

    before(async () => {
      peer = await startPeer('scimmy', { env: variant.env });
      client = new ScimClient({
        baseUrl: peer.baseUrl,
        auth: { kind: 'bearer', token: peer.token },
        timeoutMs: 10_000,
        maxRetries: 2,
        logger: (e) => logs.push(e),
      });
      caps = await discoverCapabilities(client);
      client.useEtags = caps.etag === true;
    });
    after(() => peer.stop());

    test('discovery reads SPC, agentExtension, resource types and schemas', () => {
      assert.equal(caps.discovery.serviceProviderConfig, 'ok');
      assert.equal(caps.patch, true);
      assert.equal(caps.bulk.supported, true);
      assert.equal(caps.bulk.maxOperations, 1000);
      assert.equal(caps.filter.maxResults, 200);
      assert.equal(caps.etag, false);
      assert.deepEqual(caps.agentExtension, { advertised: true, supported: true, agentsSupported: true, agenticApplicationsSupported: true });
      assert.equal(endpointFor(caps, URN.agent), '/Agents');
      assert.equal(endpointFor(caps, URN.agenticApplication), '/AgenticApplications');
      assert.equal(supportsAgents(caps), true);
      assert.ok(caps.schemas[URN.agent]?.attributes.some((a) => a.name === 'owners'));
    });

    test('User CRUD: create without Location, relative meta.location resolved, PATCH, PUT, DELETE', async () => {
      const created = await client.create('/Users', { schemas: [URN.user], userName: 'alice@example.com', externalId: 'u-alice', active: true });
      assert.ok(created.id);
      assert.equal(created.location, `${peer.baseUrl}/Users/${created.id}`);
      const read = await client.get('/Users', created.id);
      assert.equal(read.userName, 'alice@example.com');
      const patched = await client.patch('/Users', created.id, [{ op: 'replace', path: 'active', value: false }], { read: true });
      assert.equal(patched.active, false);
      const replaced = await client.replace('/Users', created.id, {
        schemas: [URN.user],
        userName: 'alice@example.com',
        externalId: 'u-alice',
        displayName: 'Alice',
      });
      assert.equal(replaced.displayName, 'Alice');
      assert.deepEqual(await client.delete('/Users', created.id), { deleted: true });
      assert.deepEqual(await client.delete('/Users', created.id), { deleted: false }, '404 on delete = already gone');
      assert.equal(await client.tryGet('/Users', created.id), undefined);
    });

    test('a PATCH that changes nothing (204, no body) is followed by a GET when the state is needed', async () => {
      const { id } = await client.create('/Users', { schemas: [URN.user], userName: 'noop@example.com', active: true });
      assert.equal(await client.patch('/Users', id, [{ op: 'replace', path: 'active', value: true }]), undefined);
      const state = await client.patch('/Users', id, [{ op: 'replace', path: 'active', value: true }], { read: true });
      assert.equal(state.id, id);
      assert.equal(state.active, true);
    });

    test('Group CRUD with members added and removed by PATCH', async () => {
      const user = await client.create('/Users', { schemas: [URN.user], userName: 'member@example.com' });
      const group = await client.create('/Groups', { schemas: [URN.group], displayName: 'Agent Owners' });
      const withMember = await client.patch('/Groups', group.id, [{ op: 'add', path: 'members', value: [{ value: user.id }] }], { read: true });
      assert.deepEqual(
        (withMember.members as { value: string }[]).map((m) => m.value),
        [user.id],
      );
      const without = await client.patch('/Groups', group.id, [{ op: 'remove', path: `members[value eq "${user.id}"]` }], { read: true });
      assert.equal(((without.members as unknown[] | undefined) ?? []).length, 0);
      assert.deepEqual(await client.delete('/Groups', group.id), { deleted: true });
    });

    test('Agent and AgenticApplication CRUD, duplicates rejected with 409 uniqueness', async () => {
      const agent = await client.create('/Agents', {
        schemas: [URN.agent],
        externalId: 'agent-ext-1',
        name: 'helpdesk-bot',
        agentType: 'Assistant',
        active: true,
        protocols: [{ type: 'MCP-Server', specificationUrl: 'https://example.com/mcp.json' }],
      });
      const app = await client.create('/AgenticApplications', {
        schemas: [URN.agenticApplication],
        name: 'helpdesk',
        agents: [{ value: agent.id, type: 'owned' }],
      });
      assert.deepEqual(
        (app.resource.agents as { value: string }[]).map((a) => a.value),
        [agent.id],
      );
      await assert.rejects(
        client.create('/Agents', { schemas: [URN.agent], name: 'HELPDESK-BOT' }),
        (e: unknown) => isScimError(e) && e.status === 409 && e.scimType === 'uniqueness',
      );
      await assert.rejects(
        client.create('/Agents', { schemas: [URN.agent], displayName: 'no name' }),
        (e: unknown) => isScimError(e) && e.status === 400 && e.scimType === 'invalidValue',
      );
      const patched = await client.patch(
        '/Agents',
        agent.id,
        [{ op: 'add', path: 'protocols', value: [{ type: 'A2A', specificationUrl: 'https://example.com/a2a.json' }] }],
        { read: true },
      );
      assert.equal((patched.protocols as unknown[]).length, 2);
      const found = await client.findByAttribute('/Agents', 'externalId', 'agent-ext-1');
      assert.deepEqual(
        found.map((r) => r.id),
        [agent.id],
      );
      assert.deepEqual(await client.delete('/AgenticApplications', app.id), { deleted: true });
      assert.deepEqual(await client.delete('/Agents', agent.id), { deleted: true });
    });

    test('createIdempotent adopts on 409 when the key lookup finds the resource', async () => {
      const first = await client.createIdempotent(
        '/Agents',
        { schemas: [URN.agent], name: 'adopt-me', externalId: 'adopt-1' },
        { attribute: 'externalId', value: 'adopt-1' },
      );
      assert.equal(first.outcome, 'created');
      const again = await client.createIdempotent(
        '/Agents',
        { schemas: [URN.agent], name: 'adopt-me', externalId: 'adopt-1' },
        { attribute: 'externalId', value: 'adopt-1' },
      );
      assert.equal(again.outcome, 'adopted');
      assert.equal(again.id, first.id);
    });

    test('filters: URL-special characters survive, case-variant misses are not invented, escaped quotes are a server limit', async () => {
      const { id } = await client.create('/Users', { schemas: [URN.user], userName: 'a+b&c d@example.com' });
      assert.deepEqual(
        (await client.findByAttribute('/Users', 'userName', 'a+b&c d@example.com')).map((r) => r.id),
        [id],
      );
      // scimmy compares values case-sensitively (quirk S6): a miss here is the server's, not the client's.
      assert.equal((await client.findByAttribute('/Users', 'userName', 'A+B&C D@EXAMPLE.COM')).length, 0);
      // The client escapes `"` as RFC 7644 requires; scimmy's parser cannot read it and says so.
      await assert.rejects(
        client.findByAttribute('/Users', 'userName', 'quote"d'),
        (e: unknown) => isScimError(e) && e.status === 400 && e.scimType === 'invalidFilter' && e.url.includes('%5C%22'),
      );
    });

    test('batched lookups: 250 agents found with one request per 100 values', async () => {
      const names = Array.from({ length: 250 }, (_, i) => `batch-agent-${i}`);
      for (const name of names) await client.create('/Agents', { schemas: [URN.agent], name, externalId: `x-${name}` });
      const before = logs.filter((e) => e.event === 'request').length;
      const found = await client.findManyByAttribute('/Agents', 'externalId', [...names.map((n) => `x-${n}`), 'x-missing']);
      const requests = logs.filter((e) => e.event === 'request').length - before;
      assert.equal(found.get('x-missing')!.length, 0);
      assert.ok(names.every((n) => found.get(`x-${n}`)!.length === 1 && found.get(`x-${n}`)![0]!.name === n));
      assert.ok(requests <= 4, `expected at most 4 requests, made ${requests}`);
    });

    test('paging terminates despite scimmy returning everything for a startIndex past the end', async () => {
      const result = await client.list('/Agents', { pageSize: 7 });
      assert.equal(result.complete, true);
      assert.equal(result.resources.length, result.totalResults);
      assert.equal(new Set(result.resources.map((r) => r.id)).size, result.resources.length);
      assert.ok(result.requests <= Math.ceil(result.totalResults! / 7) + 1);
    });

    test('Bulk creates an agent and an application that references it by bulkId', async () => {
      const run = await runBulk(
        client,
        [
          {
            method: 'POST',
            path: '/AgenticApplications',
            bulkId: 'app',
            data: { schemas: [URN.agenticApplication], name: 'bulk-app', agents: [{ value: 'bulkId:agent', type: 'owned' }] },
          },
          { method: 'POST', path: '/Agents', bulkId: 'agent', data: { schemas: [URN.agent], name: 'bulk-agent' } },
        ],
        { maxOperations: caps.bulk.maxOperations, maxPayloadSize: caps.bulk.maxPayloadSize },
      );
      assert.equal(run.requests, 1);
      assert.deepEqual(
        run.results.map((r) => r.status),
        [201, 201],
      );
      const app = await client.get('/AgenticApplications', run.ids.get('app')!);
      assert.deepEqual(
        (app.agents as { value: string }[]).map((a) => a.value),
        [run.ids.get('agent')],
      );
    });

    test('Bulk split over requests (maxOperations 1) resolves the cross-reference client-side', async () => {
      const run = await runBulk(
        client,
        [
          {
            method: 'POST',
            path: '/AgenticApplications',
            bulkId: 'app2',
            data: { schemas: [URN.agenticApplication], name: 'bulk-app-2', agents: [{ value: 'bulkId:agent2' }] },
          },
          { method: 'POST', path: '/Agents', bulkId: 'agent2', data: { schemas: [URN.agent], name: 'bulk-agent-2' } },
          { method: 'POST', path: '/Agents', bulkId: 'dup', data: { schemas: [URN.agent], name: 'bulk-agent-2' } },
        ],
        { maxOperations: 1 },
      );
      assert.equal(run.requests, 3);
      assert.equal(run.results[2]!.status, 409);
      const app = await client.get('/AgenticApplications', run.ids.get('app2')!);
      assert.deepEqual(
        (app.agents as { value: string }[]).map((a) => a.value),
        [run.ids.get('agent2')],
      );
    });

    test('the token never appears in the logger output, and Authorization is redacted', () => {
      assert.ok(logs.length > 10);
      const text = JSON.stringify(logs);
      assert.ok(!text.includes(peer.token), 'token leaked into logs');
      assert.ok(logs.some((e) => e.headers?.Authorization === '[redacted]'));
    });
  });
}

describe('ScimClient against scimmy with NO_AGENTS', () => {
  let peer: RunningPeer;
  before(async () => {
    peer = await startPeer('scimmy', { env: { NO_AGENTS: '1' } });
  });
  after(() => peer.stop());

  test('no agentExtension and no Agent resource type: agents unsupported, not unknown', async () => {
    const client = new ScimClient({ baseUrl: peer.baseUrl, auth: { kind: 'bearer', token: peer.token } });
    const caps = await discoverCapabilities(client);
    assert.equal(caps.agentExtension.advertised, false);
    assert.equal(supportsAgents(caps), false);
    assert.equal(endpointFor(caps, URN.agent), undefined);
    assert.equal(endpointFor(caps, URN.user), '/Users');
  });

  test('discovery with a wrong token is "unauthorized", not a failure', async () => {
    const client = new ScimClient({ baseUrl: peer.baseUrl, auth: { kind: 'bearer', token: 'wrong-token' } });
    const caps = await discoverCapabilities(client);
    assert.equal(caps.discovery.serviceProviderConfig, 'unauthorized');
    assert.equal(caps.patch, 'unknown');
    await assert.rejects(client.get('/Users', 'x'), (e: unknown) => isScimError(e) && e.status === 401 && !e.message.includes('wrong-token'));
  });
});
