// Import round trip against the sandbox and the scimmy peer: import what the server holds, then
// lint (only the server's real problems), plan (no changes), re-import (byte-identical files),
// and a re-import after a change on the server keeps the comments of the files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { repoPath } from '../helpers/repo';
import { makeTempDir, scimRequest, withSandbox, type TestSandbox } from '../helpers/sandbox';
import { startPeer, type RunningPeer } from '../helpers/peers';
import { runIn } from '../helpers/cli';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const PEOPLE = `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
externalId: u-dana
userName: dana@example.com
active: true
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:Group]
externalId: g-ml-ops
displayName: ML Ops
`;
const BILLING = `schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]
externalId: payroll-suite
name: payroll-suite
displayName: Payroll Suite
description: Runs payroll checks.
agents:
  - value: agent:payroll-helper
    type: owned
---
schemas: [${AGENT}]
externalId: payroll-helper
name: payroll-helper
displayName: Payroll Helper
agentType: Assistant
subject: spiffe://example.com/agents/payroll-helper
owners:
  - value: group:ML Ops
  - value: user:dana@example.com
---
schemas: [${AGENT}]
externalId: payroll-checker
name: payroll-checker
description: Checks payslips for the helper.
parent:
  value: agent:payroll-helper
owners:
  - value: user:dana@example.com
subject: spiffe://example.com/agents/payroll-checker
`;

interface Server {
  baseUrl: string;
  token: string;
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir).sort()) out[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return out;
}

/** The round trip every server must pass; `source` holds the manifests applied first. */
function roundTrip(
  name: string,
  start: () => Promise<Server & { stop(): Promise<void> }>,
  source: Record<string, string>,
  extra: (s: Server) => Promise<void>,
  expectLint: string[],
) {
  describe(`import round trip: ${name}`, () => {
    let server: Server & { stop(): Promise<void> };
    let src: string;
    let out: string;
    const cli = (cwd: string, ...args: string[]) => runIn(cwd, [...args, '--endpoint', server.baseUrl], { SCIM_AGENTS_TOKEN: server.token });
    before(async () => {
      server = await start();
      src = await makeTempDir('import-src-');
      out = await makeTempDir('import-out-');
      for (const [f, text] of Object.entries(source)) fs.writeFileSync(path.join(src, f), text);
      // Owners first, so the agents refer to server ids rather than Bulk ids of the same request.
      const people = await cli(src, 'apply', 'people.agents.yaml', '--yes');
      assert.equal(people.code, 0, people.stdout + people.stderr);
      const applied = await cli(src, 'apply', '--yes');
      assert.equal(applied.code, 0, applied.stdout + applied.stderr);
      await extra(server);
    });
    after(async () => {
      await server.stop();
      fs.rmSync(src, { recursive: true, force: true });
      fs.rmSync(out, { recursive: true, force: true });
    });

    test('import writes reviewable manifests: references by key, nothing server-managed or secret', async () => {
      const run = await cli(out, 'import');
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const written = files(out);
      const all = Object.values(written).join('\n');
      assert.ok(Object.keys(written).length > 0);
      assert.doesNotMatch(all, /^\s*(id|meta|applications|\$ref):/m, 'no server-managed attributes');
      assert.doesNotMatch(all, /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/, 'no server ids: references by key');
      assert.ok(!all.includes(server.token));
    });

    test("lint reports only the server's real problems; plan reports no changes", async () => {
      const lint = await runIn(out, ['lint', '--format', 'json']);
      const codes = (JSON.parse(lint.stdout) as { code: string }[]).map((f) => f.code).sort();
      assert.deepEqual(codes, expectLint, lint.stdout);
      const plan = await cli(out, 'plan', '--format', 'json');
      const doc = JSON.parse(plan.stdout);
      assert.equal(doc.counts.create + doc.counts.update, 0, plan.stdout);
      assert.ok(doc.counts.unchanged >= 3);
    });

    test('re-import is idempotent: byte-identical files, nothing written', async () => {
      const before = files(out);
      const again = await cli(out, 'import');
      assert.equal(again.code, 0, again.stderr);
      assert.doesNotMatch(again.stdout, /[+~] (created|updated)/);
      assert.deepEqual(files(out), before);
    });

    test('re-import after a change on the server updates in place and keeps comments', async () => {
      const file = Object.keys(files(out)).find((f) => files(out)[f]!.includes('name: payroll-suite'))!;
      const p = path.join(out, file);
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('name: payroll-helper', '# reviewed by the platform team\nname: payroll-helper # keep'));
      const edited = fs.readFileSync(p, 'utf8');
      fs.writeFileSync(path.join(src, 'billing.agents.yaml'), BILLING.replace('displayName: Payroll Helper', 'displayName: Payroll Helper v2'));
      assert.equal((await cli(src, 'apply', '--yes')).code, 0);
      const run = await cli(out, 'import');
      assert.match(run.stdout, new RegExp(`~ updated ${file.replace(/\./g, '\\.')}`));
      const text = fs.readFileSync(p, 'utf8');
      assert.match(text, /# reviewed by the platform team\nname: payroll-helper # keep/);
      assert.match(text, /displayName: Payroll Helper v2/);
      assert.notEqual(text, edited);
      const plan = JSON.parse((await cli(out, 'plan', '--format', 'json')).stdout);
      assert.equal(plan.counts.create + plan.counts.update, 0);
    });
  });
}

roundTrip(
  'sandbox',
  async () => {
    const sandbox: TestSandbox = await withSandbox({ token: 'sbx-import-token-77aa' });
    return { baseUrl: sandbox.baseUrl, token: sandbox.token, stop: () => sandbox.dispose() };
  },
  {
    ...Object.fromEntries(
      ['assistant-platform.agents.yaml', 'mcp-server.agent.yaml', 'support-agent.agent.yaml'].map((f) => [
        f,
        fs.readFileSync(repoPath(`examples/${f}`), 'utf8'),
      ]),
    ),
    'people.agents.yaml': PEOPLE,
    'billing.agents.yaml': BILLING,
  },
  async (s) => {
    // An agent created without our tool: no externalId.
    const made = await scimRequest(s.baseUrl, s.token, 'POST', '/Agents', {
      schemas: [AGENT],
      name: 'hand-made',
      active: true,
      owners: [{ value: (await scimRequest(s.baseUrl, s.token, 'GET', '/Users?filter=userName%20eq%20%22alice%22')).body.Resources[0].id }],
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    // And one without an owner: a real problem of the server's data, which lint must report.
    const orphan = await scimRequest(s.baseUrl, s.token, 'POST', '/Agents', { schemas: [AGENT], externalId: 'orphan', name: 'orphan', active: false });
    assert.equal(orphan.status, 201, JSON.stringify(orphan.body));
  },
  ['owner-missing'],
);

roundTrip(
  'scimmy',
  async () => {
    const peer: RunningPeer = await startPeer('scimmy');
    return { baseUrl: peer.baseUrl, token: peer.token, stop: () => peer.stop() };
  },
  { 'people.agents.yaml': PEOPLE, 'billing.agents.yaml': BILLING },
  async () => undefined,
  [],
);

describe('import notes and safety', () => {
  test('names and externalIds with backslashes, tabs and newlines: right after an import, plan reports no changes', async () => {
    const sandbox = await withSandbox({ token: 'sbx-import-token-77cc' });
    const out = await makeTempDir('import-escapes-');
    try {
      const owner = (await sandbox.request('GET', '/Users')).body.Resources[0].id;
      const agents = [{ name: 'back\\slash', externalId: 'ext\\1' }, { name: 'tab\there' }, { name: 'new\nline', externalId: 'ext\n2' }, { name: 'ends\\' }];
      for (const a of agents) {
        const made = await sandbox.request('POST', '/Agents', { schemas: [AGENT], ...a, active: true, owners: [{ value: owner }] });
        assert.equal(made.status, 201, JSON.stringify(made.body));
      }
      const env = { SCIM_AGENTS_TOKEN: sandbox.token };
      const run = await runIn(out, ['import', '--endpoint', sandbox.baseUrl, '--type', 'Agent'], env);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      for (let i = 0; i < 2; i++) {
        const plan = await runIn(out, ['plan', '--detailed-exitcode', '--endpoint', sandbox.baseUrl], env);
        assert.equal(plan.code, 0, plan.stdout + plan.stderr);
        assert.match(plan.stdout, /Plan: 0 to create, 0 to update, 4 unchanged, 0 cannot be applied/, plan.stdout);
      }
      const apply = await runIn(out, ['apply', '--yes', '--endpoint', sandbox.baseUrl], env);
      assert.equal(apply.code, 0, apply.stdout + apply.stderr);
      assert.match(apply.stdout, /No changes to apply/, apply.stdout);
      assert.equal((await sandbox.request('GET', '/Agents')).body.totalResults, agents.length, 'nothing created again');
    } finally {
      await sandbox.dispose();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('an identity without externalId is imported with a note on how it is matched', async () => {
    const sandbox = await withSandbox({ token: 'sbx-import-token-88bb' });
    const out = await makeTempDir('import-note-');
    try {
      const users = await sandbox.request('GET', '/Users');
      const made = await sandbox.request('POST', '/Agents', {
        schemas: [AGENT],
        name: 'no-ext',
        active: true,
        owners: [{ value: users.body.Resources[0].id }],
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
      const run = await runIn(out, ['import', '--endpoint', sandbox.baseUrl, '--type', 'Agent'], { SCIM_AGENTS_TOKEN: sandbox.token });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const text = fs.readFileSync(path.join(out, 'no-ext.agent.yaml'), 'utf8');
      assert.match(text, /^# No externalId on the server: plan and apply find this Agent by its name "no-ext"/m);
      assert.match(text, /owners:\n {2}- value: user:/);
      const filtered = await makeTempDir('import-filter-');
      const only = await runIn(filtered, ['import', '--endpoint', sandbox.baseUrl, '--filter', 'name eq "no-ext"'], { SCIM_AGENTS_TOKEN: sandbox.token });
      assert.equal(only.code, 0, only.stderr);
      assert.deepEqual(fs.readdirSync(filtered), ['no-ext.agent.yaml'], 'the filter reaches the server');
      fs.rmSync(filtered, { recursive: true, force: true });
      fs.writeFileSync(path.join(out, 'gone.agent.yaml'), `schemas: [${AGENT}]\nexternalId: gone\nname: gone\n`);
      const again = await runIn(out, ['import', '--endpoint', sandbox.baseUrl, '--type', 'Agent'], { SCIM_AGENTS_TOKEN: sandbox.token });
      assert.match(again.stdout, /note: Agent "gone" in gone\.agent\.yaml is not on the server \(left in the file\)/);
      assert.ok(fs.existsSync(path.join(out, 'gone.agent.yaml')));
      const bad = await runIn(out, ['import', '--endpoint', sandbox.baseUrl, '--type', 'Robot'], { SCIM_AGENTS_TOKEN: sandbox.token });
      assert.equal(bad.code, 2);
    } finally {
      await sandbox.dispose();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
