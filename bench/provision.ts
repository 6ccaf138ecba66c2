/**
 * (c) Provisioning into the sandbox: plan, apply and a no-change re-plan of agents and the
 * applications that list them, with Bulk and without, against a naive client (one lookup and
 * one POST per resource, in sequence). Requests are counted by a fetch that wraps the real one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../server/src/sandbox';
import { applyPlan, buildPlan, connect } from '../server/src/provision';
import { WorkspaceIndex } from '../server/src/workspace/index';
import { provisioningFile } from './generate';
import { round } from './stats';

export interface ProvisionResult {
  mode: string;
  resources: number;
  planMs?: number;
  applyMs: number;
  replanMs?: number;
  requests: number;
  requestsPerResource: number;
  replanRequests?: number;
  created: number;
}

async function withSandbox<T>(run: (baseUrl: string, token: string) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-bench-sandbox-'));
  const sandbox = await startSandbox({ port: 0, host: '127.0.0.1', dataDir });
  try {
    return await run(sandbox.baseUrl, sandbox.token);
  } finally {
    await sandbox.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function countingFetch(): { fetchImpl: typeof fetch; count: () => number; reset: () => void } {
  let n = 0;
  return {
    fetchImpl: ((input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      n++;
      return fetch(input, init);
    }) as typeof fetch,
    count: () => n,
    reset: () => {
      n = 0;
    },
  };
}

export async function measureEngine(agents: number, apps: number, bulk: 'auto' | 'never'): Promise<ProvisionResult> {
  return withSandbox(async (baseUrl, token) => {
    const index = new WorkspaceIndex();
    index.set('file:///bench/bench.agents.yaml', provisioningFile(agents, apps));
    const counter = countingFetch();
    const { client, capabilities } = await connect({ baseUrl, auth: { kind: 'bearer', token }, fetchImpl: counter.fetchImpl });
    let t = performance.now();
    const plan = await buildPlan(index, { client, capabilities });
    const planMs = performance.now() - t;
    t = performance.now();
    const result = await applyPlan(plan, { client, bulk });
    const applyMs = performance.now() - t;
    const requests = counter.count();
    counter.reset();
    t = performance.now();
    const replan = await buildPlan(index, { client, capabilities });
    const replanMs = performance.now() - t;
    const unchanged = replan.items.filter((i) => i.action === 'unchanged').length;
    if (unchanged !== agents + apps) throw new Error(`re-plan: ${unchanged} of ${agents + apps} unchanged`);
    return {
      mode: bulk === 'auto' ? 'scim-agents, Bulk' : 'scim-agents, no Bulk',
      resources: agents + apps,
      planMs: Math.round(planMs),
      applyMs: Math.round(applyMs),
      replanMs: Math.round(replanMs),
      requests,
      requestsPerResource: round(requests / (agents + apps), 2),
      replanRequests: counter.count(),
      created: result.counts.applied,
    };
  });
}

/** The naive client: per resource, a filter lookup by externalId, then a POST; one at a time. */
export async function measureNaive(agents: number, apps: number): Promise<ProvisionResult> {
  return withSandbox(async (baseUrl, token) => {
    const index = new WorkspaceIndex();
    index.set('file:///bench/bench.agents.yaml', provisioningFile(agents, apps));
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
    let requests = 0;
    const call = async (method: string, p: string, body?: unknown) => {
      requests++;
      const res = await fetch(baseUrl + p, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      return (await res.json()) as { id?: string; Resources?: { id: string }[] };
    };
    const userIds = new Map<string, string>();
    for (const name of ['alice', 'bob', 'carol'])
      userIds.set(name, (await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`)).Resources![0]!.id);
    const agentIds = new Map<string, string>();
    const t = performance.now();
    let created = 0;
    for (const r of index.resources()) {
      const type = r.resourceType!.name;
      const endpoint = type === 'Agent' ? '/Agents' : '/AgenticApplications';
      const body = structuredClone(r.normalized) as Record<string, unknown> & { owners?: { value: string }[]; agents?: { value: string }[] };
      for (const o of body.owners ?? []) o.value = userIds.get(o.value.replace(/^user:/, '')) ?? o.value;
      for (const a of body.agents ?? []) a.value = agentIds.get(a.value.replace(/^agent:/, '')) ?? a.value;
      const found = await call('GET', `${endpoint}?filter=${encodeURIComponent(`externalId eq "${String(body.externalId)}"`)}`);
      if ((found.Resources ?? []).length > 0) continue;
      const made = await call('POST', endpoint, body);
      if (made.id) {
        created++;
        if (type === 'Agent') agentIds.set(String(body.externalId), made.id);
      }
    }
    const applyMs = performance.now() - t;
    return {
      mode: 'naive (lookup + POST each, sequential)',
      resources: agents + apps,
      applyMs: Math.round(applyMs),
      requests,
      requestsPerResource: round(requests / (agents + apps), 2),
      created,
    };
  });
}
