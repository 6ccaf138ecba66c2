/**
 * The full provisioning cycle through the real CLI (in-process `runCli`, real files in a
 * temporary folder): plan, apply, re-plan, edit and apply, re-plan, deprovision, inventory. Each
 * step records its exit code, output and the requests the quirk proxy saw, so a scenario can
 * assert what happened and report the cost per resource.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runIn, type CliRun } from './cli';
import type { QuirkProxy } from './quirkProxy';
import { scimRequest } from './sandbox';

export interface CycleStep {
  code: number;
  stdout: string;
  stderr: string;
  requests: number;
}

export type StepName = 'plan' | 'apply' | 'replan' | 'editApply' | 'replanEdited' | 'deprovision' | 'inventory';

export interface CycleOptions {
  proxy: QuirkProxy;
  token: string;
  /** Manifest files (name → text), written to a fresh folder. */
  files: Record<string, string>;
  /** Files rewritten before the second apply. */
  edits: Record<string, string>;
  fallback?: boolean;
  /** Extra flags for deprovision (e.g. --delete). */
  deprovisionFlags?: string[];
}

export interface Cycle {
  steps: Record<StepName, CycleStep>;
  /** Requests of the whole cycle. */
  requests: number;
}

/** The CLI in-process in `cwd` with the token in its environment, as CI would run it. */
export function cli(args: string[], cwd: string, token: string): Promise<CliRun> {
  return runIn(cwd, args, { SCIM_AGENTS_TOKEN: token });
}

export async function runCycle(options: CycleOptions): Promise<Cycle> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'scim-quirks-'));
  try {
    for (const [name, text] of Object.entries(options.files)) await fs.writeFile(path.join(dir, name), text);
    const endpoint = ['--endpoint', options.proxy.baseUrl, ...(options.fallback ? ['--fallback', 'linked-user'] : [])];
    const start = options.proxy.log.length;
    const step = async (args: string[]): Promise<CycleStep> => {
      const mark = options.proxy.log.length;
      const run = await cli([...args, '*.yaml', ...endpoint], dir, options.token);
      return { ...run, requests: options.proxy.since(mark).length };
    };
    const steps = {} as Record<StepName, CycleStep>;
    steps.plan = await step(['plan', '--detailed-exitcode']);
    steps.apply = await step(['apply', '--yes']);
    steps.replan = await step(['plan', '--detailed-exitcode']);
    for (const [name, text] of Object.entries(options.edits)) await fs.writeFile(path.join(dir, name), text);
    steps.editApply = await step(['apply', '--yes']);
    steps.replanEdited = await step(['plan', '--detailed-exitcode']);
    steps.deprovision = await step(['deprovision', '--yes', ...(options.deprovisionFlags ?? [])]);
    steps.inventory = await step(['inventory', '--format', 'json']);
    return { steps, requests: options.proxy.since(start).length };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** Every step's output, for assertion messages. */
export function transcript(cycle: Cycle): string {
  return Object.entries(cycle.steps)
    .map(([name, s]) => `--- ${name} (exit ${s.code}, ${s.requests} requests)\n${s.stdout}${s.stderr}`)
    .join('\n');
}

/** All resources of a collection, read directly from the server (not through the proxy or our client). */
export async function serverList(baseUrl: string, token: string, endpoint: string): Promise<any[]> {
  const out: any[] = [];
  for (let start = 1; start < 10_000;) {
    const res = await scimRequest(baseUrl, token, 'GET', `${endpoint}?startIndex=${start}&count=100`);
    if (res.status !== 200) throw new Error(`GET ${endpoint}: ${res.status}`);
    const page: any[] = res.body.Resources ?? [];
    out.push(...page);
    if (page.length === 0 || out.length >= res.body.totalResults) break;
    start += page.length;
  }
  return out;
}

/** How many resources carry each value of `key`; a duplicate is any count above 1. */
export function duplicatesBy(resources: any[], key: string): number {
  const counts = new Map<string, number>();
  for (const r of resources) if (typeof r[key] === 'string') counts.set(r[key], (counts.get(r[key]) ?? 0) + 1);
  return [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
}

export interface ScenarioRow {
  server: string;
  scenario: string;
  converged: boolean;
  duplicates: number;
  resources: number;
  requests: number;
}

/** The figures the issue asks for, one line per scenario (read in the test output). */
export function reportRow(row: ScenarioRow): void {
  const perResource = row.resources ? (row.requests / row.resources).toFixed(1) : '-';
  console.log(
    `# quirks | ${row.server} | ${row.scenario} | converged: ${row.converged ? 'yes' : 'no'} | duplicates: ${row.duplicates} | requests: ${row.requests} for ${row.resources} resources (${perResource} per resource, whole cycle)`,
  );
}

/**
 * The cycle converged: the first plan has changes, every apply succeeded, both re-plans are empty
 * (re-applying would make no write), deprovision and inventory exited 0.
 */
export function assertConverged(assert: typeof import('node:assert/strict'), cycle: Cycle, resources: number): void {
  const s = cycle.steps;
  const why = transcript(cycle);
  assert.equal(s.plan.code, 2, why);
  assert.match(s.plan.stdout, new RegExp(`Plan: ${resources} to create, 0 to update`), why);
  assert.equal(s.apply.code, 0, why);
  assert.equal(s.replan.code, 0, why);
  assert.match(s.replan.stdout, new RegExp(`Plan: 0 to create, 0 to update, ${resources} unchanged, 0 cannot`), why);
  assert.equal(s.editApply.code, 0, why);
  assert.match(s.editApply.stdout, /1 applied, \d+ unchanged, 0 failed, 0 skipped/, why);
  assert.equal(s.replanEdited.code, 0, why);
  assert.match(s.replanEdited.stdout, new RegExp(`Plan: 0 to create, 0 to update, ${resources} unchanged, 0 cannot`), why);
  assert.equal(s.deprovision.code, 0, why);
  assert.doesNotMatch(s.deprovision.stdout, /not on the server|[1-9]\d* failed|[1-9]\d* skipped/, why);
  // A Group has no active flag: kept and said so, which is no failure (exit 0 above).
  if (/Group "/.test(s.plan.stdout)) assert.match(s.deprovision.stdout, /= kept Group "[^"]+"[^\n]*\n\s+warning: a Group has no active flag/, why);
  assert.equal(s.inventory.code, 0, why);
}

export interface AgentServerState {
  agents: any[];
  apps: any[];
  /** Every user (the sandbox has seeded ones) and the manifest's owner. */
  users: any[];
  owner: any;
  groups: any[];
  duplicates: number;
}

/** The Agents, AgenticApplications and Users a server holds (read directly), and their duplicates. */
export async function agentServerState(baseUrl: string, token: string): Promise<AgentServerState> {
  const agents = await serverList(baseUrl, token, '/Agents');
  const apps = await serverList(baseUrl, token, '/AgenticApplications');
  const users = await serverList(baseUrl, token, '/Users');
  const groups = await serverList(baseUrl, token, '/Groups');
  const duplicates =
    duplicatesBy(agents, 'externalId') + duplicatesBy(apps, 'externalId') + duplicatesBy(users, 'userName') + duplicatesBy(groups, 'displayName');
  return { agents, apps, users, groups, owner: users.find((u) => u.userName === 'dana@example.com'), duplicates };
}
