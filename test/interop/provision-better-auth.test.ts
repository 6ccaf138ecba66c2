// Interop: better-auth (Users and Groups only, eq-only filters, no Bulk): agents cannot be
// applied unless the linked-user fallback is chosen; then they become Users.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan, buildPlan, connect, renderPlanText, type Connection } from '../../server/src/provision';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { startPeer, type RunningPeer } from '../helpers/peers';

const MANIFESTS = `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
externalId: u-erin
userName: erin@example.com
displayName: Erin Park
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: helpdesk-bot
name: helpdesk-bot@agents.example.com
displayName: Helpdesk Bot
description: Answers helpdesk tickets.
agentType: Assistant
active: true
owners:
  - value: user:erin@example.com
subject: helpdesk-bot
`;

describe('provisioning against better-auth (no Agent type)', () => {
  let peer: RunningPeer;
  let conn: Connection;
  const index = new WorkspaceIndex();
  index.set('file:///w/helpdesk.agents.yaml', MANIFESTS);

  before(async () => {
    peer = await startPeer('better-auth');
    conn = await connect({ baseUrl: peer.baseUrl, auth: { kind: 'bearer', token: peer.token }, timeoutMs: 10_000 });
  });
  after(() => peer.stop());

  test('without a fallback the agent cannot be applied, with a clear reason', async () => {
    const plan = await buildPlan(index, conn);
    const agent = plan.items.find((i) => i.resourceType === 'Agent')!;
    assert.equal(agent.action, 'cannot-apply');
    assert.match(agent.reason!, /no Agent resource type.*run with --fallback linked-user/);
    assert.equal(plan.items.find((i) => i.resourceType === 'User')!.action, 'create');
    assert.match(renderPlanText(plan), /! cannot apply Agent "helpdesk-bot@agents\.example\.com" because the server has no Agent resource type/);
  });

  test('the linked-user fallback creates Users, warns what cannot travel, and re-plans unchanged', async () => {
    const plan = await buildPlan(index, { ...conn, fallback: 'linked-user' });
    const agent = plan.items.find((i) => i.resourceType === 'Agent')!;
    assert.equal(agent.action, 'create', renderPlanText(plan));
    assert.equal(agent.serverType, 'User');
    assert.equal(agent.body!.userName, 'helpdesk-bot@agents.example.com');
    assert.equal(agent.body!.userType, 'Assistant');
    assert.match(agent.warnings!.join(' '), /cannot travel.*description, owners, subject/);
    const result = await applyPlan(plan, { client: conn.client });
    assert.equal(result.counts.failed, 0, JSON.stringify(result.items, null, 1));
    const user = await conn.client.get('/Users', result.items.find((r) => r.label.startsWith('Agent'))!.id!);
    assert.equal(user.userName, 'helpdesk-bot@agents.example.com');
    // eq-only filters: lookups fall back to one eq per value and still find everything.
    const again = await buildPlan(index, { ...conn, fallback: 'linked-user' });
    assert.deepEqual(again.counts, { create: 0, update: 0, unchanged: 2, cannotApply: 0 }, renderPlanText(again));
  });
});
