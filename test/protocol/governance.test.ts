// The governance requests over LSP: scimAgents/inventory (both groupings, and with a real
// endpoint) and scimAgents/identifyToken (match, malformed, untrusted).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Correlation, InventoryItem } from '../../server/src/governance';
import type { InventoryResult } from '../../server/src/lsp/protocol';
import { makeCertificate } from '../helpers/certs';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const jwt = (claims: Record<string, unknown>) =>
  [{ alg: 'RS256', typ: 'JWT' }, claims].map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')).join('.') + '.c2lnbmF0dXJl';

function files(): Record<string, string> {
  return {
    'platform.agents.yaml': `schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]
externalId: platform
name: platform
oAuthConfiguration:
  - clientId: c-1
    issuerUri: https://idp.example.com
agents:
  - value: agent:triage
  - value: agent:helper
`,
    'triage.agent.yaml': `schemas: [${AGENT}]
externalId: triage
name: triage
owners:
  - value: user:alice
subject: triage
x509Certificates:
  - value: ${makeCertificate({ cn: 'triage', days: 10 })}
`,
    'helper.agent.yaml': `schemas: [${AGENT}]
externalId: helper
name: helper
owners:
  - value: group:Ops
subject: helper
`,
    'people.agents.yaml': `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: alice
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Group]
displayName: Ops
`,
  };
}

async function started(
  root: string,
  options: Parameters<typeof LspClient.start>[1] = { initializationOptions: { workspaceTrusted: true } },
): Promise<LspClient> {
  const client = await LspClient.start(root, options);
  // The folder scan publishes every manifest once: then the index is complete.
  await client.waitFor('the workspace scan', () => Object.keys(files()).every((f) => client.published.has(client.uri(f))));
  return client;
}

describe('governance requests', () => {
  let root: string;
  let client: LspClient;
  let sandbox: TestSandbox;
  before(async () => {
    root = tempWorkspace(files());
    client = await started(root);
    sandbox = await withSandbox();
  });
  after(async () => {
    await client.stop();
    await sandbox.dispose();
    removeWorkspace(root);
  });

  it('scimAgents/inventory groups agents under their application, with owners and credential state', async () => {
    const result = await client.request<InventoryResult>('scimAgents/inventory', { groupBy: 'application' });
    assert.equal(result.groupBy, 'application');
    assert.deepEqual(
      result.groups.map((g) => g.label),
      ['AgenticApplication "platform"'],
    );
    assert.deepEqual(
      result.groups[0]!.children.map((c) => c.name),
      ['triage', 'helper'],
    );
    const triage = result.inventory.items.find((i) => i.name === 'triage')!;
    assert.equal(triage.credential.state, 'expiring');
    assert.equal(triage.uri, client.uri('triage.agent.yaml'));
    assert.deepEqual(triage.range.start, { line: 2, character: 0 });
    assert.deepEqual(triage.issuers, ['https://idp.example.com']);
    assert.equal(triage.owners[0]!.status, 'ok');
    assert.match(triage.owners[0]!.resolvesTo, /User "alice"/);
    assert.equal(triage.provisioning, undefined, 'no endpoint was asked');
  });

  it('scimAgents/inventory groups by owner', async () => {
    const result = await client.request<InventoryResult>('scimAgents/inventory', { groupBy: 'owner' });
    const byLabel = Object.fromEntries(result.groups.map((g) => [g.label, g.children.map((c: InventoryItem) => c.name)]));
    assert.deepEqual(byLabel, { 'group:Ops': ['helper'], 'user:alice': ['triage'], 'Applications (owned through their agents)': ['platform'] });
  });

  it('scimAgents/inventory with a server adds provisioning state from a read-only plan', async () => {
    const result = await client.request<InventoryResult>('scimAgents/inventory', { server: { endpoint: sandbox.baseUrl, token: sandbox.token } });
    assert.equal(result.inventory.endpointHost, new URL(sandbox.baseUrl).host);
    // alice and Ops are declared in the workspace only: the plan creates them; nothing is written.
    for (const item of result.inventory.items) assert.equal(item.provisioning?.state, 'not-provisioned', item.label);
    const agents = await sandbox.request('GET', '/Agents');
    assert.equal(agents.body.totalResults, 0);
  });

  it('scimAgents/identifyToken names the agent, its owners and applications', async () => {
    const c = await client.request<Correlation>('scimAgents/identifyToken', { jwt: jwt({ sub: 'triage', iss: 'https://idp.example.com' }) });
    assert.equal(c.verdict, 'matched');
    assert.deepEqual(
      c.matches.map((m) => [m.name, m.issuerCheck]),
      [['triage', 'match']],
    );
    assert.deepEqual(
      c.matches[0]!.owners.map((o) => o.reference),
      ['user:alice'],
    );
    assert.deepEqual(
      c.matches[0]!.applications.map((a) => a.label),
      ['AgenticApplication "platform"'],
    );
  });

  it('scimAgents/identifyToken asks the server for the subject when told to', async () => {
    const c = await client.request<Correlation>('scimAgents/identifyToken', {
      jwt: jwt({ sub: 'nobody' }),
      server: { endpoint: sandbox.baseUrl, token: sandbox.token },
    });
    assert.equal(c.verdict, 'no-match');
    assert.equal(c.server?.status, 'ok');
    assert.match(c.summary, /belongs to no governed identity in the workspace or on 127\.0\.0\.1/);
  });

  it('a malformed token is a clear error that never echoes the token', async () => {
    const bad = 'eyJhbGciOiJub25lIn0.not*base64.x';
    await assert.rejects(client.request('scimAgents/identifyToken', { jwt: bad }), (e: Error & { code?: number }) => {
      assert.equal(e.code, -32602);
      assert.match(e.message, /part 2 \(payload\) is not base64url/);
      assert.ok(!e.message.includes('not*base64'));
      return true;
    });
    await assert.rejects(client.request('scimAgents/identifyToken', { jwt: 'abc' }), /3 dot-separated parts/);
  });
});

describe('governance requests in an untrusted workspace', () => {
  it('never call an endpoint', async () => {
    const root = tempWorkspace(files());
    const client = await started(root, { initializationOptions: { workspaceTrusted: false } });
    try {
      await assert.rejects(client.request('scimAgents/inventory', { server: { endpoint: 'http://127.0.0.1:9/scim/v2', token: 't0ken-value' } }), /not trusted/);
      const local = await client.request<InventoryResult>('scimAgents/inventory', {});
      assert.equal(local.inventory.items.length, 3);
    } finally {
      await client.stop();
      removeWorkspace(root);
    }
  });
});
