// Unit: plan ordering, server-managed attributes left out of diffs, rendering; against an
// in-memory fake server (fetchImpl), no network.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyPlan, buildPlan, planToJson, renderPlanText } from '../../server/src/provision';
import { buildCapabilities, ScimClient } from '../../server/src/scim';
import { URN } from '../../server/src/schema/types';
import { WorkspaceIndex } from '../../server/src/workspace/index';

type Res = Record<string, unknown> & { id: string };

/** A tiny SCIM server: eq/or filters on one attribute, POST, PATCH replace/add, GET. */
function fakeServer(seed: Record<string, Res[]>) {
  const store = new Map(Object.entries(seed).map(([k, v]) => [k, [...v]]));
  const calls: string[] = [];
  let n = 0;
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const [, , , collection, id] = url.pathname.split('/');
    calls.push(`${method} /${collection}${id ? '/' + id : ''}`);
    const list = store.get(collection!) ?? [];
    const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/scim+json' } });
    if (method === 'GET' && !id) {
      const filter = url.searchParams.get('filter') ?? '';
      const terms = [...filter.matchAll(/(\w+) eq "([^"]*)"/g)].map((m) => [m[1]!, m[2]!] as const);
      const hits = list.filter((r) => terms.length === 0 || terms.some(([a, v]) => String(r[a]).toLowerCase() === v.toLowerCase()));
      return json(200, { schemas: [URN.listResponse], totalResults: hits.length, Resources: hits });
    }
    if (method === 'GET')
      return json(
        200,
        list.find((r) => r.id === id),
      );
    if (method === 'POST') {
      const body = JSON.parse(String(init!.body));
      const created = { ...body, id: `id-${++n}`, meta: { resourceType: collection, version: 'W/"1"' } };
      list.push(created);
      store.set(collection!, list);
      return json(201, created);
    }
    if (method === 'PATCH') {
      const target = list.find((r) => r.id === id)!;
      for (const op of JSON.parse(String(init!.body)).Operations) target[op.path] = op.value;
      return json(200, target);
    }
    return json(404, {});
  }) as typeof fetch;
  const caps = buildCapabilities(
    { status: 'ok', body: { patch: { supported: true }, bulk: { supported: false }, filter: { supported: true }, etag: { supported: false } } },
    {
      status: 'ok',
      body: {
        Resources: [
          { name: 'User', endpoint: '/Users', schema: URN.user },
          { name: 'Group', endpoint: '/Groups', schema: URN.group },
          { name: 'Agent', endpoint: '/Agents', schema: URN.agent },
          { name: 'AgenticApplication', endpoint: '/AgenticApplications', schema: URN.agenticApplication },
        ],
      },
    },
    { status: 'missing' },
  );
  const client = new ScimClient({ baseUrl: 'https://idp.example.test/scim/v2', auth: { kind: 'bearer', token: 't' }, fetchImpl });
  return { client, capabilities: caps, calls, store };
}

const ALICE: Res = { id: 'u-1', userName: 'alice', active: true };

const FILES: Record<string, string> = {
  'file:///w/app.agent.yaml': `schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]
externalId: app-1
name: app-1
agents:
  - value: agent:child
  - value: agent:parent
`,
  'file:///w/child.agent.yaml': `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: child
name: child
owners:
  - value: user:alice
parent:
  value: agent:parent
`,
  'file:///w/parent.agent.yaml': `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: parent
name: parent
description: the parent
owners:
  - value: user:alice
`,
};

function index(files = FILES): WorkspaceIndex {
  const ix = new WorkspaceIndex();
  for (const [uri, text] of Object.entries(files)) ix.set(uri, text);
  return ix;
}

describe('buildPlan / applyPlan (fake server)', () => {
  test('applies parents before children and agents before the applications that list them', async () => {
    const server = fakeServer({ Users: [ALICE] });
    const plan = await buildPlan(index(), server);
    assert.deepEqual(plan.counts, { create: 3, update: 0, unchanged: 0, cannotApply: 0 });
    const key = (label: string) => plan.items.find((i) => i.label === label)!.key;
    assert.deepEqual(
      new Set(plan.items.find((i) => i.label === 'AgenticApplication "app-1"')!.dependsOn),
      new Set([key('Agent "child"'), key('Agent "parent"')]),
    );
    const owners = plan.items.find((i) => i.label === 'Agent "parent"')!.body!.owners;
    assert.deepEqual(owners, [{ value: 'u-1' }], 'user:alice became her server id');
    const result = await applyPlan(plan, { client: server.client, concurrency: 4 });
    assert.equal(result.counts.applied, 3);
    const posts = server.calls.filter((c) => c.startsWith('POST'));
    assert.deepEqual(posts, ['POST /Agents', 'POST /Agents', 'POST /AgenticApplications']);
    const agents = server.store.get('Agents')!;
    assert.equal(agents[0]!.name, 'parent', 'the parent is created first');
    assert.deepEqual(agents[1]!.parent, { value: agents[0]!.id });
  });

  test('server-managed attributes never make a diff; a real change is a minimal replace', async () => {
    const server = fakeServer({
      Users: [ALICE],
      Agents: [
        {
          id: 'a-1',
          externalId: 'parent',
          name: 'parent',
          description: 'old text',
          owners: [{ value: 'u-1', $ref: '/Users/u-1', display: 'alice' }],
          meta: { created: '2020-01-01T00:00:00Z', version: 'W/"9"' },
          applications: [{ value: 'x' }],
        },
      ],
    });
    const text = `${FILES['file:///w/parent.agent.yaml']!.replace('the parent', 'new text')}id: something-else\nmeta:\n  version: W/"1"\n`;
    const plan = await buildPlan(index({ 'file:///w/parent.agent.yaml': text }), server);
    const item = plan.items[0]!;
    assert.equal(item.action, 'update', renderPlanText(plan));
    assert.deepEqual(item.diff, [{ op: 'replace', path: 'description', value: 'new text' }]);
    const rendered = renderPlanText(plan);
    assert.match(rendered, /^Plan for idp\.example\.test:/);
    assert.match(rendered, /~ update Agent "parent" \(id a-1\)\n\s+~ description: "old text" → "new text"/);
    assert.match(rendered, /Plan: 0 to create, 1 to update, 0 unchanged, 0 cannot be applied \(endpoint idp\.example\.test\)\./);
    const json = planToJson(plan) as { items: { action: string; diff: unknown }[] };
    assert.equal(json.items[0]!.action, 'update');
    assert.ok(!('current' in json));
  });

  test('an agent without owners and a file with lint errors are cannot-apply; dependants are blocked', async () => {
    const server = fakeServer({ Users: [ALICE] });
    const files = { ...FILES, 'file:///w/parent.agent.yaml': FILES['file:///w/parent.agent.yaml']!.replace(/owners:\n {2}- value: user:alice\n/, '') };
    const plan = await buildPlan(index(files), server);
    const by = (l: string) => plan.items.find((i) => i.label === l)!;
    assert.equal(by('Agent "parent"').action, 'cannot-apply');
    assert.ok(by('Agent "parent"').errors!.some((f) => f.code === 'owner-missing'));
    assert.equal(by('Agent "child"').action, 'cannot-apply');
    assert.match(by('Agent "child"').reason!, /references Agent "parent", which cannot be applied/);
    assert.match(renderPlanText(plan), /! cannot apply Agent "parent" because its file has \d+ lint errors?/);
    const result = await applyPlan(plan, { client: server.client });
    assert.equal(server.calls.filter((c) => !c.startsWith('GET')).length, 0, 'nothing written');
    assert.equal(result.counts.skipped, 3);
  });

  test('an owner missing on the server is cannot-apply (owner-unresolved with the directory)', async () => {
    const server = fakeServer({});
    const plan = await buildPlan(index({ 'file:///w/parent.agent.yaml': FILES['file:///w/parent.agent.yaml']! }), server);
    assert.equal(plan.items[0]!.action, 'cannot-apply');
    assert.ok(
      plan.items[0]!.errors!.some((f) => f.code === 'owner-unresolved'),
      JSON.stringify(plan.items[0]),
    );
  });

  test('cancellation: an aborted signal sends nothing', async () => {
    const server = fakeServer({ Users: [ALICE] });
    const plan = await buildPlan(index(), server);
    const controller = new AbortController();
    controller.abort();
    const result = await applyPlan(plan, { client: server.client, signal: controller.signal });
    assert.equal(result.cancelled, true);
    assert.equal(result.counts.skipped, 3);
    assert.equal(server.calls.filter((c) => c.startsWith('POST')).length, 0);
  });
});
