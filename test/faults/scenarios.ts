/**
 * Provisioning under faults, shared by the sandbox and scimmy suites. Each scenario:
 * 1. empties the server's Agents and AgenticApplications (straight to the server, no proxy);
 * 2. runs plan + apply through the fault proxy with the scenario's rules and a short timeout
 *    (the run may fail: that is the point);
 * 3. checks that the faulty run made no duplicate and touched nothing outside the manifest;
 * 4. re-runs plan + apply without faults, which must succeed;
 * 5. checks, straight against the server, that it holds exactly the manifest's resources once
 *    each with their references as server ids, that Users and Groups are byte-for-byte as
 *    before, and that a third plan is all "unchanged".
 */
import assert from 'node:assert/strict';
import { applyPlan, buildPlan, connect, renderPlanText } from '../../server/src/provision';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import type { FaultProxy, FaultRule } from '../helpers/faultProxy';
import { scimRequest } from '../helpers/sandbox';

export const AGENTS_URI = 'file:///faults/agents.agents.yaml';
export const APP_URI = 'file:///faults/suite.agent.yaml';

export function agentsYaml(description = 'Routes incidents to the right helper.'): string {
  return `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: fx-orchestrator
name: fx-orchestrator
displayName: Incident Orchestrator
description: ${description}
active: true
owners:
  - value: user:alice
  - value: group:AI Platform Team
subject: fx-orchestrator
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: fx-triage
name: fx-triage
active: true
owners:
  - value: user:bob
parent:
  value: agent:fx-orchestrator
subject: fx-triage
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: fx-reporter
name: fx-reporter
active: true
owners:
  - value: user:alice
subject: fx-reporter
`;
}

export const APP_YAML = `schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]
externalId: fx-suite
name: fx-suite
displayName: Incident Suite
active: true
agents:
  - value: agent:fx-orchestrator
  - value: agent:fx-triage
`;

export const AGENT_KEYS = ['fx-orchestrator', 'fx-reporter', 'fx-triage'];

export function manifestIndex(description?: string): WorkspaceIndex {
  const index = new WorkspaceIndex();
  index.set(AGENTS_URI, agentsYaml(description));
  index.set(APP_URI, APP_YAML);
  return index;
}

export interface Target {
  baseUrl: string;
  token: string;
}

type Json = any;

async function list(target: Target, path: string): Promise<Json[]> {
  const res = await scimRequest(target.baseUrl, target.token, 'GET', `${path}?count=1000`);
  assert.equal(res.status, 200, `GET ${path}: ${JSON.stringify(res.body)}`);
  const resources: Json[] = res.body.Resources ?? [];
  assert.ok(Number(res.body.totalResults ?? resources.length) <= resources.length, `${path} fits one page`);
  return resources;
}

/** Deletes every Agent and AgenticApplication, straight on the server. */
export async function emptyAgents(target: Target): Promise<void> {
  for (const path of ['/AgenticApplications', '/Agents']) {
    for (const r of await list(target, path)) {
      const res = await scimRequest(target.baseUrl, target.token, 'DELETE', `${path}/${r.id}`);
      assert.ok(res.status === 204 || res.status === 200, `DELETE ${path}/${r.id}: ${res.status}`);
    }
  }
}

export async function snapshotPeople(target: Target): Promise<string> {
  const users = (await list(target, '/Users')).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const groups = (await list(target, '/Groups')).sort((a, b) => String(a.id).localeCompare(String(b.id)));
  return JSON.stringify({ users, groups });
}

/** No duplicates and nothing foreign: true after any run, faulty or not. */
export async function checkNoDuplicates(target: Target, label: string): Promise<{ agents: Json[]; apps: Json[] }> {
  const agents = await list(target, '/Agents');
  const apps = await list(target, '/AgenticApplications');
  const keys = agents.map((a) => a.externalId ?? a.name).sort();
  assert.deepEqual([...new Set(keys)].sort(), keys, `${label}: no agent twice (${keys.join(', ')})`);
  for (const k of keys) assert.ok(AGENT_KEYS.includes(k), `${label}: only manifest agents (found ${k})`);
  assert.ok(
    apps.length <= 1 && apps.every((a) => a.externalId === 'fx-suite'),
    `${label}: at most the one application (${apps.map((a) => a.externalId).join(', ')})`,
  );
  return { agents, apps };
}

/** Exactly the manifest, with references resolved to the right server ids. */
export async function checkConverged(target: Target, label: string, description = 'Routes incidents to the right helper.'): Promise<void> {
  const { agents, apps } = await checkNoDuplicates(target, label);
  assert.deepEqual(agents.map((a) => a.externalId).sort(), AGENT_KEYS, `${label}: every agent once`);
  const byKey = new Map(agents.map((a) => [a.externalId, a]));
  const orchestrator = byKey.get('fx-orchestrator');
  assert.equal(orchestrator.description, description, `${label}: the orchestrator's description`);
  assert.equal(byKey.get('fx-triage').parent?.value, orchestrator.id, `${label}: the triage agent's parent is the orchestrator's id`);
  assert.equal(apps.length, 1, `${label}: the application once`);
  assert.deepEqual(
    apps[0].agents.map((a: Json) => a.value).sort(),
    [orchestrator.id, byKey.get('fx-triage').id].sort(),
    `${label}: the application lists its agents by id`,
  );
}

export interface RunOutcome {
  applied: number;
  failed: number;
  adopted: number;
  skipped: number;
  error?: string;
  sleeps: number[];
}

/** plan + apply against `baseUrl` with a short timeout; never throws (a faulty run may fail). */
export async function provision(
  baseUrl: string,
  token: string,
  index: WorkspaceIndex,
  options: { timeoutMs?: number; bulk?: 'auto' | 'never' | 'always' } = {},
): Promise<RunOutcome> {
  const sleeps: number[] = [];
  try {
    const conn = await connect({
      baseUrl,
      auth: { kind: 'bearer', token },
      timeoutMs: options.timeoutMs ?? 800,
      maxRetries: 3,
      retryTuning: { baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5_000 },
      sleep: (ms) => {
        sleeps.push(ms);
        return new Promise((resolve) => setTimeout(resolve, ms));
      },
    });
    const plan = await buildPlan(index, conn);
    assert.equal(plan.counts.cannotApply, 0, renderPlanText(plan));
    const result = await applyPlan(plan, { client: conn.client, bulk: options.bulk ?? 'never' });
    return {
      applied: result.counts.applied,
      failed: result.counts.failed,
      adopted: result.items.filter((i) => i.outcome === 'adopted').length,
      skipped: result.counts.skipped,
      ...(result.counts.failed
        ? {
            error: result.items
              .filter((i) => i.error)
              .map((i) => `${i.label}: ${i.error!.status} ${i.error!.detail}`)
              .join('; '),
          }
        : {}),
      sleeps,
    };
  } catch (e) {
    return { applied: 0, failed: 0, adopted: 0, skipped: 0, error: (e as Error).message, sleeps };
  }
}

export interface Scenario {
  name: string;
  rules: FaultRule[];
  bulk?: 'never' | 'always';
  /** Start from an applied manifest and change the orchestrator's description (faults on updates). */
  update?: boolean;
  /** Extra checks of the faulty run (e.g. Retry-After honoured). */
  expect?: (outcome: RunOutcome) => void;
}

export const isWrite = (m: string) => m !== 'GET';
const posts = (collection: string) => (r: { method: string; path: string }) => r.method === 'POST' && r.path.includes(collection);
const anyWrite = (r: { method: string }) => isWrite(r.method);
const gets = (r: { method: string; path: string }) => r.method === 'GET' && !/ServiceProviderConfig|ResourceTypes|Schemas/.test(r.path);

const waitedAtLeast = (ms: number) => (o: RunOutcome) =>
  assert.ok(
    o.sleeps.some((s) => s >= ms),
    `Retry-After honoured: waits ${o.sleeps.join(', ')} ms`,
  );

export function scenarios(options: { bulk: boolean }): Scenario[] {
  const list: Scenario[] = [
    { name: 'reset before the first create reaches the server', rules: [{ match: posts('/Agents'), fault: { kind: 'reset-before' }, times: 1 }] },
    { name: 'reset after the first create (server acted, client never heard)', rules: [{ match: posts('/Agents'), fault: { kind: 'reset-after' }, times: 1 }] },
    { name: 'reset after every create', rules: [{ match: (r) => r.method === 'POST', fault: { kind: 'reset-after' } }] },
    {
      name: 'response lost after the application was created (client timeout)',
      rules: [{ match: posts('/AgenticApplications'), fault: { kind: 'drop-response' }, times: 1 }],
    },
    {
      name: 'create delayed past the client timeout (never forwarded)',
      rules: [{ match: posts('/Agents'), fault: { kind: 'delay', ms: 1_500 }, times: 1, skip: 1 }],
    },
    {
      name: 'create delayed past the client timeout, server acts late',
      rules: [{ match: posts('/Agents'), fault: { kind: 'delay', ms: 1_200, forwardAnyway: true }, times: 1 }],
    },
    {
      name: '429 burst with Retry-After in seconds',
      rules: [{ match: () => true, fault: { kind: 'status', status: 429, retryAfter: '1' }, times: 3, skip: 4 }],
      expect: waitedAtLeast(900),
    },
    {
      name: '429 burst with Retry-After as an HTTP-date',
      rules: [{ match: anyWrite, fault: { kind: 'status', status: 429, retryAfter: 'DATE' }, times: 2 }],
      expect: waitedAtLeast(200),
    },
    {
      name: '503 with Retry-After on writes',
      rules: [{ match: anyWrite, fault: { kind: 'status', status: 503, retryAfter: '1' }, times: 2 }],
      expect: waitedAtLeast(900),
    },
    { name: '500 on the first writes', rules: [{ match: anyWrite, fault: { kind: 'status', status: 500 }, times: 2 }] },
    { name: 'slow response bodies on lookups (within the timeout)', rules: [{ match: gets, fault: { kind: 'slow-body', chunkSize: 64, chunkDelayMs: 2 } }] },
    {
      name: 'create answered with a body slower than the timeout',
      rules: [{ match: posts('/Agents'), fault: { kind: 'slow-body', chunkSize: 8, chunkDelayMs: 150 }, times: 1 }],
    },
    {
      name: 'ServiceProviderConfig lost on the network: capabilities unknown, the run goes on',
      rules: [{ match: (r) => r.path.includes('ServiceProviderConfig'), fault: { kind: 'reset-before' } }],
      expect: (o) => assert.ok(o.error === undefined && o.applied > 0, `discovery loss is not a failure: ${JSON.stringify(o)}`),
    },
    {
      name: 'every discovery request reset: the endpoint is unreachable, nothing is applied',
      rules: [{ match: (r) => /ServiceProviderConfig|ResourceTypes|Schemas/.test(r.path), fault: { kind: 'reset-before' } }],
      expect: (o) => assert.ok(o.error !== undefined && o.applied === 0, `an unreachable endpoint stops the run: ${JSON.stringify(o)}`),
    },
    {
      name: 'update: reset after the PATCH (server changed, client never heard)',
      update: true,
      rules: [{ match: (r) => r.method === 'PATCH' || r.method === 'PUT', fault: { kind: 'reset-after' }, times: 1 }],
    },
    {
      name: 'update: 500 then 503 on the PATCH',
      update: true,
      rules: [
        { match: (r) => r.method === 'PATCH' || r.method === 'PUT', fault: { kind: 'status', status: 500 }, times: 1 },
        { match: (r) => r.method === 'PATCH' || r.method === 'PUT', fault: { kind: 'status', status: 503, retryAfter: '0' }, times: 1 },
      ],
    },
  ];
  if (options.bulk) {
    list.push(
      {
        name: 'bulk: reset after the Bulk request (every operation done, client never heard)',
        bulk: 'always',
        rules: [{ match: (r) => r.path.endsWith('/Bulk'), fault: { kind: 'reset-after' }, times: 1 }],
      },
      {
        name: 'bulk: response lost after the Bulk request',
        bulk: 'always',
        rules: [{ match: (r) => r.path.endsWith('/Bulk'), fault: { kind: 'drop-response' }, times: 1 }],
      },
    );
  }
  return list;
}

/** A Retry-After HTTP-date two seconds ahead, computed when the rule is installed. */
function resolveDates(rules: FaultRule[]): FaultRule[] {
  return rules.map((r) =>
    r.fault.kind === 'status' && r.fault.retryAfter === 'DATE' ? { ...r, fault: { ...r.fault, retryAfter: new Date(Date.now() + 2_000).toUTCString() } } : r,
  );
}

export interface ScenarioReport {
  name: string;
  faultsInjected: number;
  faulty: string;
  rerun: string;
}

/** Runs one scenario end to end; returns a line for the results table. */
export async function runScenario(target: Target, proxy: FaultProxy, scenario: Scenario): Promise<ScenarioReport> {
  const people = await snapshotPeople(target);
  await emptyAgents(target);
  const changed = 'Routes incidents, now with paging.';
  if (scenario.update) {
    const first = await provision(target.baseUrl, target.token, manifestIndex());
    assert.equal(first.failed, 0, first.error);
    await checkConverged(target, `${scenario.name} (before)`);
  }
  const index = manifestIndex(scenario.update ? changed : undefined);
  const description = scenario.update ? changed : undefined;

  proxy.setRules(resolveDates(scenario.rules));
  const before = proxy.log.length;
  const faulty = await provision(proxy.via(target.baseUrl), target.token, index, { bulk: scenario.bulk ?? 'never' });
  const faultsInjected = proxy.log.slice(before).filter((e) => e.fault).length;
  proxy.setRules([]);
  assert.ok(faultsInjected > 0, `${scenario.name}: the fault was injected (${JSON.stringify(proxy.log.slice(before))})`);
  scenario.expect?.(faulty);
  await checkNoDuplicates(target, `${scenario.name} (after the faulty run)`);

  const rerun = await provision(target.baseUrl, target.token, index, { bulk: scenario.bulk ?? 'never' });
  assert.equal(rerun.failed, 0, `${scenario.name}: the clean re-run succeeds: ${rerun.error}`);
  assert.equal(rerun.error, undefined, rerun.error);
  await checkConverged(target, scenario.name, description);
  assert.equal(await snapshotPeople(target), people, `${scenario.name}: Users and Groups unchanged`);
  const third = await provision(target.baseUrl, target.token, index);
  assert.equal(third.applied, 0, `${scenario.name}: converged, a third run writes nothing`);

  const describe = (o: RunOutcome) =>
    o.error && o.applied === 0 && o.failed === 0
      ? `error: ${o.error.slice(0, 80)}`
      : `${o.applied} applied (${o.adopted} adopted), ${o.failed} failed, ${o.skipped} skipped`;
  return { name: scenario.name, faultsInjected, faulty: describe(faulty), rerun: describe(rerun) };
}

export function printTable(server: string, rows: ScenarioReport[]): void {
  const lines = [
    `[faults] ${server}: ${rows.length} scenarios, each converged on a clean re-run (exact resources, no duplicates, Users/Groups untouched)`,
    '| scenario | faults | faulty run | clean re-run |',
    '|---|---|---|---|',
  ];
  for (const r of rows) lines.push(`| ${r.name} | ${r.faultsInjected} | ${r.faulty} | ${r.rerun} |`);
  console.log(lines.join('\n'));
}
