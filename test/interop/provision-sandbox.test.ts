// Interop: plan/apply/deprovision against our own sandbox, with the repository's examples/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { applyPlan, buildPlan, connect, deprovision, renderPlanText, type Connection } from '../../server/src/provision';
import type { ScimLogEntry } from '../../server/src/scim';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { repoPath } from '../helpers/repo';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';

function examplesIndex(): WorkspaceIndex {
  const index = new WorkspaceIndex();
  const root = repoPath('examples');
  for (const file of fs.readdirSync(root, { recursive: true }) as string[]) {
    if (/\.agents?\.(ya?ml|json)$/.test(file)) index.set(`file:///examples/${file}`, fs.readFileSync(path.join(root, file), 'utf8'));
  }
  return index;
}

describe('provisioning against the sandbox', () => {
  let sandbox: TestSandbox;
  let conn: Connection;
  const log: ScimLogEntry[] = [];
  const requests = (method?: string) => log.filter((e) => e.event === 'request' && (!method || e.method === method)).length;
  const writes = () => log.filter((e) => e.event === 'request' && e.method !== 'GET').length;

  before(async () => {
    sandbox = await withSandbox();
    conn = await connect({ baseUrl: sandbox.baseUrl, auth: { kind: 'bearer', token: sandbox.token }, timeoutMs: 10_000, logger: (e) => log.push(e) });
  });
  after(() => sandbox.dispose());

  test('examples/ apply, then re-plan is all unchanged with few lookups and zero writes', async () => {
    const index = examplesIndex();
    const plan = await buildPlan(index, conn);
    const text = renderPlanText(plan);
    assert.ok(text.startsWith(`Plan for ${new URL(sandbox.baseUrl).host}`), text);
    // The default sandbox speaks abbey-00: the wzdk-00 example is refused with the reason, the rest is created.
    const refused = plan.items.filter((i) => i.action === 'cannot-apply');
    assert.deepEqual(
      refused.map((i) => i.label),
      ['Agent "invoice-agent"'],
      text,
    );
    assert.match(refused[0]!.reason!, /does not define "agentUserName".*another draft/);
    assert.equal(plan.counts.create, plan.items.length - 1, text);
    assert.match(text, /\+ create AgenticApplication "assistant-platform"/);
    assert.match(text, /<id of Agent "support-triage">/);
    log.length = 0;
    const result = await applyPlan(plan, { client: conn.client });
    assert.equal(result.counts.failed, 0, JSON.stringify(result.items, null, 1));
    assert.equal(result.counts.applied, plan.items.length - 1);
    assert.equal(result.counts.skipped, 1);
    console.log(`apply of examples: ${requests()} requests (${writes()} writes)`);
    for (const r of result.items) if (r.status === 'applied') assert.ok(r.id && !r.warnings, JSON.stringify(r));
    // The application's agents[] carry the server ids of the agents created in the same run.
    const app = result.items.find((r) => r.label === 'AgenticApplication "assistant-platform"')!;
    const ids = new Set(result.items.map((r) => r.id));
    const stored = await sandbox.request('GET', `/AgenticApplications/${app.id}`);
    assert.equal(stored.body.agents.length, 2);
    for (const a of stored.body.agents) assert.ok(ids.has(a.value), a.value);

    log.length = 0;
    const again = await buildPlan(index, conn);
    assert.deepEqual(again.counts, { create: 0, update: 0, unchanged: plan.items.length - 1, cannotApply: 1 }, renderPlanText(again));
    console.log(`re-plan of examples: ${requests()} requests`);
    const replanRequests = requests();
    const reapply = await applyPlan(again, { client: conn.client });
    assert.equal(writes(), 0);
    assert.equal(requests(), replanRequests, 'applying an unchanged plan sends nothing');
    assert.equal(reapply.counts.unchanged, plan.items.length - 1);
    // Lookups: discovery (3) plus one batched query per endpoint and key: far below one per resource.
    assert.ok(replanRequests <= 3 + 5, `re-plan made ${replanRequests} requests`);
  });

  test('deprovision deactivates, verified by reading back, and is idempotent', async () => {
    const index = examplesIndex();
    const result = await deprovision(index, { client: conn.client, mode: 'deactivate' });
    assert.equal(result.counts.failed, 0, JSON.stringify(result.items, null, 1));
    const active = result.items.filter((r) => r.label !== 'Agent "invoice-agent"');
    assert.ok(
      active.every((r) => r.status === 'applied' && r.outcome === 'deactivated'),
      JSON.stringify(result.items),
    );
    for (const r of active) {
      const type = r.label.startsWith('Agent ') ? 'Agents' : 'AgenticApplications';
      assert.equal((await sandbox.request('GET', `/${type}/${r.id}`)).body.active, false);
    }
    log.length = 0;
    const again = await deprovision(index, { client: conn.client, capabilities: conn.capabilities, mode: 'deactivate' });
    assert.equal(writes(), 0);
    assert.ok(again.items.filter((r) => r.label !== 'Agent "invoice-agent"').every((r) => r.status === 'unchanged'));
  });
});
