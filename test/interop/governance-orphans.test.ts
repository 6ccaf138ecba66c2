// Orphaned agents against real servers: after an owner is deactivated (PATCH active=false) and a
// owning group is emptied, plan time reports owner-orphaned on the owner reference and the
// inventory flags the agents. The sandbox (Agents provisioned, then in sync) and better-auth
// (Users and Groups only: the directory still judges owners).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../server/src/cli/io';
import { runCli } from '../../server/src/cli/main';
import { buildInventory, type Inventory } from '../../server/src/governance';
import { applyPlan, buildPlan, connect, renderPlanText, type Connection, type Plan } from '../../server/src/provision';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { startPeer, type RunningPeer } from '../helpers/peers';
import { scimRequest, withSandbox, type TestSandbox } from '../helpers/sandbox';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const agent = (name: string, owner: string) => `schemas: [${AGENT}]
externalId: ${name}
name: ${name}
owners:
  - value: ${owner}
subject: ${name}
`;

function orphanFindings(plan: Plan, index: WorkspaceIndex): string[] {
  return [...plan.findings.entries()].flatMap(([uri, list]) =>
    list.filter((f) => f.code === 'owner-orphaned').map((f) => `${uri.split('/').pop()}:${index.get(uri)!.manifest.text.slice(f.span.start, f.span.end)}`),
  );
}

const byName = (inv: Inventory) => Object.fromEntries(inv.items.map((i) => [i.name, i]));

describe('orphaned agents against the sandbox', () => {
  let sandbox: TestSandbox;
  let conn: Connection;
  let dir: string;
  const index = new WorkspaceIndex();
  const files: Record<string, string> = {
    'ops-bot.agent.yaml': agent('ops-bot', 'user:bob'),
    'review-bot.agent.yaml': agent('review-bot', 'group:Security Reviewers'),
    'plat-bot.agent.yaml': agent('plat-bot', 'user:alice'),
  };

  before(async () => {
    sandbox = await withSandbox();
    conn = await connect({ baseUrl: sandbox.baseUrl, auth: { kind: 'bearer', token: sandbox.token }, timeoutMs: 10_000 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-orphans-'));
    for (const [name, text] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), text);
      index.set(`file:///w/${name}`, text);
    }
  });
  after(async () => {
    await sandbox.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('provisioned agents with active owners are in sync and not orphaned', async () => {
    const first = await buildPlan(index, conn);
    const applied = await applyPlan(first, { client: conn.client });
    assert.equal(applied.counts.failed, 0, renderPlanText(first));
    const plan = await buildPlan(index, conn);
    const inv = byName(buildInventory(index, { plan }));
    for (const name of ['ops-bot', 'review-bot', 'plat-bot']) {
      assert.equal(inv[name]!.provisioning?.state, 'in-sync', name);
      assert.equal(inv[name]!.orphaned, false, name);
    }
    assert.deepEqual(orphanFindings(plan, index), []);
  });

  test('deactivating bob and emptying Security Reviewers orphans their agents at plan time and in the inventory', async () => {
    const bob = (await sandbox.request('GET', `/Users?filter=${encodeURIComponent('userName eq "bob"')}`)).body.Resources[0];
    const security = (await sandbox.request('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Security Reviewers"')}`)).body.Resources[0];
    assert.equal(
      (await sandbox.request('PATCH', `/Users/${bob.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] })).status,
      200,
    );
    assert.equal(
      (await sandbox.request('PATCH', `/Groups/${security.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'members' }] })).status,
      200,
    );

    const plan = await buildPlan(index, conn);
    assert.deepEqual(orphanFindings(plan, index).sort(), ['ops-bot.agent.yaml:user:bob', 'review-bot.agent.yaml:group:Security Reviewers']);
    const inv = byName(buildInventory(index, { plan }));
    assert.equal(inv['ops-bot']!.orphaned, true);
    assert.equal(inv['ops-bot']!.provisioning?.state, 'orphaned');
    assert.match(inv['ops-bot']!.owners[0]!.resolvesTo, /server user "bob" id .* \(inactive or deleted\)/);
    assert.equal(inv['review-bot']!.orphaned, true);
    assert.match(inv['review-bot']!.owners[0]!.resolvesTo, /\(no members\)/);
    assert.equal(inv['plat-bot']!.orphaned, false);
    assert.equal(inv['plat-bot']!.provisioning?.state, 'in-sync');
  });

  test('scim-agents inventory --endpoint --format csv flags them for the audit', async () => {
    let out = '';
    let err = '';
    const io: CliIO = {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      env: { SCIM_AGENTS_TOKEN: sandbox.token },
      cwd: dir,
      isTTY: false,
      readStdin: async () => '',
    };
    const code = await runCli(['inventory', '.', '--endpoint', sandbox.baseUrl, '--format', 'csv'], io);
    assert.equal(code, 0, err);
    assert.ok(!out.includes(sandbox.token) && !err.includes(sandbox.token));
    const rows = out
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    const header = rows[0]!;
    const get = (name: string, column: string) => rows.find((r) => r[header.indexOf('name')] === name)![header.indexOf(column)];
    assert.equal(get('ops-bot', 'orphaned'), 'yes');
    assert.equal(get('ops-bot', 'provisioningState'), 'orphaned');
    assert.equal(get('plat-bot', 'provisioningState'), 'in-sync');
  });
});

describe('orphaned agents against better-auth', () => {
  let peer: RunningPeer;
  let conn: Connection;
  const index = new WorkspaceIndex();
  index.set('file:///w/helpdesk.agent.yaml', agent('helpdesk-bot', 'user:erin@example.com'));
  index.set('file:///w/triage.agent.yaml', agent('triage-bot', 'group:Helpdesk Leads'));
  const req = (method: string, p: string, body?: unknown) => scimRequest(peer.baseUrl, peer.token, method, p, body);
  let erinId: string;
  let groupId: string;

  before(async () => {
    peer = await startPeer('better-auth');
    conn = await connect({ baseUrl: peer.baseUrl, auth: { kind: 'bearer', token: peer.token }, timeoutMs: 10_000 });
    const erin = await req('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'erin@example.com', active: true });
    assert.equal(erin.status, 201, JSON.stringify(erin.body));
    erinId = erin.body.id;
    const group = await req('POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Helpdesk Leads',
      members: [{ value: erinId }],
    });
    assert.equal(group.status, 201, JSON.stringify(group.body));
    groupId = group.body.id;
  });
  after(() => peer.stop());

  test('active owners: not orphaned (the agents themselves cannot be applied: no Agent type)', async () => {
    const plan = await buildPlan(index, conn);
    assert.deepEqual(orphanFindings(plan, index), []);
    const inv = byName(buildInventory(index, { plan }));
    assert.equal(inv['helpdesk-bot']!.orphaned, false);
    assert.equal(inv['helpdesk-bot']!.owners[0]!.status, 'ok');
    assert.equal(inv['helpdesk-bot']!.provisioning?.state, 'blocked');
    assert.match(inv['triage-bot']!.owners[0]!.resolvesTo, /server group "Helpdesk Leads" .*\(1 member\)/);
  });

  test("after PATCH active=false on erin and removing the group's members, both agents are orphaned", async () => {
    assert.equal((await req('PATCH', `/Users/${erinId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] })).status, 200);
    const removed = await req('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members', value: [{ value: erinId }] }],
    });
    assert.ok(removed.status === 200 || removed.status === 204, JSON.stringify(removed.body));
    const plan = await buildPlan(index, conn);
    assert.deepEqual(orphanFindings(plan, index).sort(), ['helpdesk.agent.yaml:user:erin@example.com', 'triage.agent.yaml:group:Helpdesk Leads']);
    const inv = byName(buildInventory(index, { plan }));
    assert.equal(inv['helpdesk-bot']!.orphaned, true);
    assert.equal(inv['triage-bot']!.orphaned, true);
    assert.equal(inv['triage-bot']!.provisioning?.state, 'orphaned');
  });
});
