// The CLI killed mid-apply (SIGKILL) and run again: `scim-agents apply` as a child process
// (dist/cli.js) through the fault proxy; the proxy holds one write so the kill lands while it is
// in flight. The re-run converges: exact resources, no duplicates, Users and Groups untouched.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startFaultProxy, type FaultProxy, type ProxyLogEntry } from '../helpers/faultProxy';
import { startPeer, type RunningPeer } from '../helpers/peers';
import { scimRequest, withSandbox, type TestSandbox } from '../helpers/sandbox';
import { APP_YAML, agentsYaml, checkConverged, checkNoDuplicates, emptyAgents, snapshotPeople, type Target } from './scenarios';

const CLI = path.resolve(__dirname, '..', '..', 'cli.js');

function workdir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-kill-'));
  fs.writeFileSync(path.join(dir, 'agents.agents.yaml'), agentsYaml());
  fs.writeFileSync(path.join(dir, 'suite.agent.yaml'), APP_YAML);
  return dir;
}

const ALL_FILES = ['agents.agents.yaml', 'suite.agent.yaml'];

function runApply(cwd: string, endpoint: string, token: string, files = ALL_FILES) {
  const child = spawn(process.execPath, [CLI, 'apply', ...files, '--endpoint', endpoint, '--yes', '--timeout', '10'], {
    cwd,
    env: { ...process.env, SCIM_AGENTS_TOKEN: token },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exit };
}

function waitFor(proxy: FaultProxy, on: 'request' | 'answer', predicate: (e: ProxyLogEntry) => boolean, ms = 20_000): Promise<ProxyLogEntry> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for a proxied ${on}`));
    }, ms);
    const listener = (e: ProxyLogEntry) => {
      if (predicate(e)) {
        clearTimeout(timer);
        off();
        resolve(e);
      }
    };
    const off = on === 'request' ? proxy.onRequest(listener) : proxy.onUpstreamAnswer(listener);
  });
}

async function killAndRerun(
  target: Target,
  proxy: FaultProxy,
  holdMatch: (e: { method: string; path: string }) => boolean,
  options: { skip: number; forwardAnyway: boolean; firstFiles?: string[] },
): Promise<string> {
  const people = await snapshotPeople(target);
  await emptyAgents(target);
  const cwd = workdir();
  try {
    proxy.setRules([{ match: holdMatch, fault: { kind: 'delay', ms: 300, forwardAnyway: options.forwardAnyway }, times: 1, skip: options.skip }]);
    const held = waitFor(proxy, 'request', (e) => e.fault === 'delay');
    const landed = options.forwardAnyway ? waitFor(proxy, 'answer', (e) => e.fault === 'delay') : undefined;
    const first = runApply(cwd, proxy.via(target.baseUrl), target.token, options.firstFiles);
    await Promise.race([
      held,
      first.exit.then((r) => {
        throw new Error(`apply ended (${r.code}) before the held write:\n${r.output}`);
      }),
    ]);
    first.child.kill('SIGKILL');
    const killed = await first.exit;
    assert.equal(killed.signal, 'SIGKILL', killed.output);
    if (landed) await landed; // the server finished the held write after the client died
    proxy.setRules([]);
    const partial = await checkNoDuplicates(target, 'after the kill');
    const second = runApply(cwd, target.baseUrl, target.token);
    const rerun = await second.exit;
    assert.equal(rerun.code, 0, rerun.output);
    await checkConverged(target, 'after the re-run');
    assert.equal(await snapshotPeople(target), people, 'Users and Groups unchanged');
    assert.ok(!rerun.output.includes(target.token), 'the token is not printed');
    return `killed with ${partial.agents.length} agent(s) and ${partial.apps.length} application(s) on the server; re-run: ${/(\d+ applied, \d+ unchanged, \d+ failed, \d+ skipped)/.exec(rerun.output)?.[1] ?? rerun.output.trim().split('\n').pop()}`;
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

describe('CLI apply killed mid-run, then re-run', () => {
  let sandbox: TestSandbox;
  let peer: RunningPeer;
  let sandboxProxy: FaultProxy;
  let peerProxy: FaultProxy;
  const rows: string[] = [];

  before(async () => {
    sandbox = await withSandbox();
    sandboxProxy = await startFaultProxy(new URL(sandbox.baseUrl).origin);
    peer = await startPeer('scimmy');
    peerProxy = await startFaultProxy(new URL(peer.baseUrl).origin);
    const ids: string[] = [];
    for (const userName of ['alice', 'bob']) {
      const res = await scimRequest(peer.baseUrl, peer.token, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName });
      assert.equal(res.status, 201);
      ids.push(res.body.id);
    }
    const group = await scimRequest(peer.baseUrl, peer.token, 'POST', '/Groups', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'AI Platform Team',
      members: [{ value: ids[0] }],
    });
    assert.equal(group.status, 201);
  });
  after(async () => {
    console.log(['[faults] CLI killed mid-apply:', ...rows].join('\n  '));
    await sandboxProxy.close();
    await peerProxy.close();
    await sandbox.dispose();
    await peer.stop();
  });

  test('sandbox: killed while its Bulk request is in flight; the server still completes it', async () => {
    rows.push(
      `sandbox (Bulk in flight, server completes it): ${await killAndRerun(sandbox, sandboxProxy, (r) => r.method === 'POST', { skip: 0, forwardAnyway: true })}`,
    );
  });

  // Three creates stay under the Bulk threshold, so each agent is its own POST and the kill
  // falls between them; the re-run applies the whole manifest.
  test('scimmy: killed after the first create, while the second is held (never arrives)', async () => {
    rows.push(
      `scimmy (second create held, never arrives): ${await killAndRerun({ baseUrl: peer.baseUrl, token: peer.token }, peerProxy, (r) => r.method === 'POST', { skip: 1, forwardAnyway: false, firstFiles: ['agents.agents.yaml'] })}`,
    );
  });
});
