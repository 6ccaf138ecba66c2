// Provisioning over LSP, as any editor uses it: the bundled server over stdio against the
// sandbox. plan → code lens → apply with work-done progress → in sync → edit → drifted; stale
// and consumed plans refused; untrusted workspaces and plain http to other hosts refused; a
// server error becomes a diagnostic on the resource; the token never leaves the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { CodeLens, Diagnostic } from 'vscode-languageserver-protocol';
import { URN } from '../../server/src/schema/types';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const BOT = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: proto-bot
name: proto-bot
displayName: Proto Bot
owners:
  - value: user:alice
`;
const CONFLICT = `# created on the server by someone else between plan and apply
schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: conflict-bot
name: conflict-bot
owners:
  - value: user:alice
`;

const CAPABILITIES = {
  workspace: {
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    didChangeConfiguration: { dynamicRegistration: true },
    codeLens: { refreshSupport: true },
  },
  textDocument: { publishDiagnostics: { versionSupport: true } },
  window: { workDoneProgress: true },
};

interface ProgressValue {
  kind: 'begin' | 'report' | 'end';
  title?: string;
  cancellable?: boolean;
  message?: string;
}

describe('provisioning over LSP', () => {
  const token = `tok-${randomBytes(16).toString('hex')}`;
  let sandbox: TestSandbox;
  let root: string;
  let client: LspClient;
  /** Everything the server wrote to stdout, to look for the token in. */
  let wire = '';
  const progress: { token: string | number; value: ProgressValue }[] = [];
  const created: (string | number)[] = [];
  let refreshes = 0;

  const run = <R>(command: string, args: Record<string, unknown>) => client.request<R>('workspace/executeCommand', { command, arguments: [args] });
  const lenses = (uri: string) => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const lensTitle = async (uri: string) => {
    const list = await lenses(uri);
    assert.equal(list.length, 1, 'one lens per resource');
    return list[0]!.command!.title;
  };

  before(async () => {
    sandbox = await withSandbox({ token });
    root = tempWorkspace({ 'bot.agent.yaml': BOT, 'conflict.agent.yaml': CONFLICT });
    client = await LspClient.start(root, { initializationOptions: { workspaceTrusted: true, endpoint: { url: sandbox.baseUrl } }, capabilities: CAPABILITIES });
    client.proc.stdout!.on('data', (d) => (wire += String(d)));
    client.conn.onRequest('window/workDoneProgress/create', (p: { token: string | number }) => {
      created.push(p.token);
      return null;
    });
    client.conn.onNotification('$/progress', (p: { token: string | number; value: ProgressValue }) => {
      progress.push(p);
    });
    client.conn.onRequest('workspace/codeLens/refresh', () => {
      refreshes++;
      return null;
    });
    await client.waitFor('the workspace index', () => client.published.has(client.uri('bot.agent.yaml')));
  });
  after(async () => {
    await client?.stop();
    await sandbox?.dispose();
    if (root) removeWorkspace(root);
  });

  test('plan, code lens, apply with progress, in sync, edit, drifted', async () => {
    const uri = client.uri('bot.agent.yaml');
    client.open(uri, BOT);
    assert.equal(await lensTitle(uri), 'SCIM: state unknown (Plan to compare)');
    assert.match((await lenses(uri))[0]!.command!.tooltip ?? '', /Not compared with the endpoint in this session yet/);

    const plan = await run<{ planId: string; counts: Record<string, number>; endpointHost: string; text: string; hasChanges: boolean }>('scimAgents.plan', {
      uri,
      token,
    });
    assert.equal(plan.endpointHost, new URL(sandbox.baseUrl).host);
    assert.deepEqual(plan.counts, { create: 1, update: 0, unchanged: 0, cannotApply: 0 });
    assert.equal(plan.hasChanges, true);
    assert.match(plan.text, /proto-bot/);
    assert.match(await lensTitle(uri), /^SCIM: not provisioned on 127\.0\.0\.1:\d+$/);
    const lens = (await lenses(uri))[0]!;
    assert.equal(lens.command!.command, 'scimAgents.plan');
    assert.deepEqual(lens.command!.arguments, [{ uri }]);
    assert.deepEqual(lens.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, 'the lens sits at the top of the resource');

    const before = progress.length;
    const result = await run<{ counts: Record<string, number>; items: { status: string; outcome?: string }[] }>('scimAgents.apply', {
      planId: plan.planId,
      token,
    });
    assert.deepEqual(result.counts, { applied: 1, unchanged: 0, failed: 0, skipped: 0 });
    assert.equal(result.items[0]!.outcome, 'created');
    const mine = progress.slice(before);
    const progressToken = mine[0]?.token;
    assert.ok(created.includes(progressToken!), 'the server created the progress with window/workDoneProgress/create');
    const kinds = mine.filter((p) => p.token === progressToken).map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.ok(kinds.includes('report'), 'at least one report');
    assert.equal(kinds.at(-1), 'end');
    assert.equal(mine[0]!.value.cancellable, true);
    assert.match(mine[0]!.value.title!, /Provisioning to 127\.0\.0\.1/);
    assert.ok(refreshes >= 2, 'code lenses were refreshed after plan and apply');

    const onServer = await sandbox.request('GET', `/Agents?filter=${encodeURIComponent('externalId eq "proto-bot"')}`);
    assert.equal(onServer.body.totalResults, 1);
    assert.equal(onServer.body.Resources[0].displayName, 'Proto Bot');
    assert.match(await lensTitle(uri), /^SCIM: in sync on /);

    client.change(uri, BOT.replace('Proto Bot', 'Proto Bot 2'));
    assert.equal(await lensTitle(uri), 'SCIM: stale, edited since the last plan (1 change)');
    assert.match((await lenses(uri))[0]!.command!.tooltip ?? '', /Last known on 127\.0\.0\.1:\d+: in sync\. 1 attribute edited since/);
    const again = await run<{ counts: Record<string, number> }>('scimAgents.plan', { uri, token });
    assert.deepEqual(again.counts, { create: 0, update: 1, unchanged: 0, cannotApply: 0 });
    assert.match(await lensTitle(uri), /^SCIM: drifted \(1 change\) on /);
  });

  test('one lens per resource, on the first line of each document or list item, short', async () => {
    const uri = client.uri('many.agents.yaml');
    client.open(uri, `# two agents\n${BOT.replace(/proto-bot/g, 'proto-one')}---\n\n${BOT.replace(/proto-bot/g, 'proto-two')}`);
    const list = await lenses(uri);
    assert.deepEqual(
      list.map((l) => l.range.start),
      [
        { line: 1, character: 0 },
        { line: 9, character: 0 },
      ],
    );
    const json = client.uri('many.agents.json');
    client.open(
      json,
      '[\n  {\n    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"],\n    "name": "j1"\n  },\n  {"name": "j2", "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"]}\n]\n',
    );
    assert.deepEqual(
      (await lenses(json)).map((l) => l.range.start.line),
      [1, 5],
    );
    for (const l of list) assert.ok(l.command!.title.length <= 60, l.command!.title);
    client.close(uri);
    client.close(json);
  });

  test('a plan with lensesOnly (the read on open) moves the lens and publishes no provisioning diagnostic', async () => {
    const uri = client.uri('ownerless.agent.yaml');
    client.open(uri, `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nexternalId: ownerless\nname: ownerless\n`);
    await client.diagnostics(uri, (ds) => ds.some((d) => d.code === 'owner-missing'), 'the lint error');
    const provisionDiagnostics = () => (client.published.get(uri) ?? []).flatMap((p) => p.diagnostics).filter((d) => d.source === 'scim-agents-provision');
    await run('scimAgents.plan', { uri, token, lensesOnly: true });
    assert.match(await lensTitle(uri), /^SCIM: cannot apply/);
    assert.deepEqual(provisionDiagnostics(), [], "the file's own lint error speaks for it");
    // The same plan asked for by the user does report it on the resource: the check above can fail.
    await run('scimAgents.plan', { uri, token });
    await client.waitFor('a provisioning diagnostic', () => provisionDiagnostics().length > 0);
    client.close(uri);
  });

  test('apply refuses a plan whose file changed since, and a plan applied already', async () => {
    const uri = client.uri('bot.agent.yaml');
    const plan = await run<{ planId: string }>('scimAgents.plan', { uri, token });
    client.change(uri, BOT.replace('Proto Bot', 'Proto Bot 3'));
    await assert.rejects(run('scimAgents.apply', { planId: plan.planId, token }), /The plan is stale: bot\.agent\.yaml changed since it was planned/);

    const fresh = await run<{ planId: string }>('scimAgents.plan', { uri, token });
    const applied = await run<{ counts: Record<string, number> }>('scimAgents.apply', { planId: fresh.planId, token });
    assert.equal(applied.counts.applied, 1);
    await assert.rejects(run('scimAgents.apply', { planId: fresh.planId, token }), /Unknown or already applied plan/);
    await assert.rejects(run('scimAgents.apply', { token }), /needs the "planId"/);
    const read = await sandbox.request('GET', `/Agents?filter=${encodeURIComponent('externalId eq "proto-bot"')}`);
    assert.equal(read.body.Resources[0].displayName, 'Proto Bot 3');
  });

  test('plain http to a host other than loopback is refused (allowInsecureHttp is off)', async () => {
    const uri = client.uri('bot.agent.yaml');
    await assert.rejects(run('scimAgents.plan', { uri, token, endpoint: 'http://scim.example.com/scim/v2' }), /Refusing plain http:\/\/ to scim\.example\.com/);
    await assert.rejects(run('scimAgents.deprovision', { uri, token, endpoint: 'http://10.1.2.3/scim/v2' }), /Refusing plain http:\/\//);
    await assert.rejects(run('scimAgents.plan', { uri, token, endpoint: 'ftp://127.0.0.1/x' }), /https:\/\/ URL/);
  });

  test('a server error becomes a provisioning diagnostic on the resource, next to lint diagnostics', async () => {
    const uri = client.uri('conflict.agent.yaml');
    const text = CONFLICT + 'DisplayName: Conflict\n'; // attribute-case: a lint warning that must survive
    client.open(uri, text);
    await client.diagnostics(uri, (ds) => ds.some((d) => d.code === 'attribute-case'), 'the lint warning');
    const plan = await run<{ planId: string; counts: Record<string, number> }>('scimAgents.plan', { uri, token });
    assert.equal(plan.counts.create, 1);
    const rival = await sandbox.request('POST', '/Agents', {
      schemas: [URN.agent],
      name: 'conflict-bot',
      externalId: 'someone-else',
      owners: [{ value: (await alice()).id }],
    });
    assert.equal(rival.status, 201);

    const result = await run<{ counts: Record<string, number>; items: { status: string; error?: { status: number; scimType?: string } }[] }>(
      'scimAgents.apply',
      { planId: plan.planId, token },
    );
    assert.equal(result.counts.failed, 1);
    assert.equal(result.items[0]!.error!.status, 409);
    const ds = await client.diagnostics(uri, (list) => list.some((d) => d.source === 'scim-agents-provision'), 'the provisioning diagnostic');
    const failure = ds.find((d) => d.source === 'scim-agents-provision')!;
    assert.equal(failure.code, 'provision-failed');
    assert.equal(failure.severity, 1);
    assert.match(String(failure.message), /409 uniqueness/);
    assert.deepEqual(failure.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } }, 'on the name key');
    assert.deepEqual((failure.data as { status: number }).status, 409);
    assert.ok(
      ds.some((d: Diagnostic) => d.code === 'attribute-case' && d.source === 'scim-agents'),
      'lint diagnostics kept',
    );
    assert.match(await lensTitle(uri), /^SCIM: failed on 127\.0\.0\.1:\d+ \(hover for why\)$/);
    assert.match((await lenses(uri))[0]!.command!.tooltip ?? '', /409 uniqueness/);

    // An edit makes the ranges stale: the provisioning diagnostic goes, lint stays.
    client.change(uri, text.replace('Conflict', 'Conflicting'));
    const later = await client.diagnostics(
      uri,
      (list) => !list.some((d) => d.source === 'scim-agents-provision'),
      'the provisioning diagnostic dropped after an edit',
    );
    assert.ok(later.some((d) => d.code === 'attribute-case'));
  });

  test('deprovision deactivates and the lens says so', async () => {
    const uri = client.uri('bot.agent.yaml');
    const result = await run<{ counts: Record<string, number>; items: { outcome?: string }[] }>('scimAgents.deprovision', { uri, token });
    assert.equal(result.counts.applied, 1);
    assert.equal(result.items[0]!.outcome, 'deactivated');
    const read = await sandbox.request('GET', `/Agents?filter=${encodeURIComponent('externalId eq "proto-bot"')}`);
    assert.equal(read.body.Resources[0].active, false);
    assert.match(await lensTitle(uri), /^SCIM: deactivated on /);
    await assert.rejects(run('scimAgents.deprovision', { uri, token, mode: 'shred' }), /"mode" is "deactivate"/);
  });

  test('a wrong token fails cleanly, and no token ever appears in what the server sent', async () => {
    const wrong = `wrong-${randomBytes(12).toString('hex')}`;
    await assert.rejects(run('scimAgents.plan', { uri: client.uri('bot.agent.yaml'), token: wrong }), /401/);
    // What the lens showed before (deactivated) can no longer be trusted, and it says so.
    const stale = (await lenses(client.uri('bot.agent.yaml')))[0]!.command!;
    assert.equal(stale.title, 'SCIM: stale (the last plan or apply failed)');
    assert.match(stale.tooltip ?? '', /failed: .*401.*Last known: deactivated/);
    // A round trip after everything, so all earlier output has arrived.
    await run('scimAgents.serverInfo', {});
    assert.ok(wire.length > 1000, 'the server said things');
    assert.ok(!wire.includes(token), 'the token is nowhere in the server output (responses, diagnostics, logMessage)');
    assert.ok(!wire.includes(wrong), 'nor the wrong token');
    assert.ok(!client.logs.join('\n').includes(token), 'nor on stderr');
  });

  async function alice(): Promise<{ id: string }> {
    const res = await sandbox.request('GET', `/Users?filter=${encodeURIComponent('userName eq "alice"')}`);
    return res.body.Resources[0];
  }
});

describe('provisioning in an untrusted workspace', () => {
  test('every provisioning command is refused before any request', async () => {
    const sandbox = await withSandbox();
    const root = tempWorkspace({ 'bot.agent.yaml': BOT });
    const client = await LspClient.start(root, { initializationOptions: { workspaceTrusted: false, endpoint: { url: sandbox.baseUrl } } });
    try {
      const uri = client.uri('bot.agent.yaml');
      await client.waitFor('the workspace index', () => client.published.has(uri));
      for (const command of ['scimAgents.plan', 'scimAgents.deprovision', 'scimAgents.apply']) {
        await assert.rejects(
          client.request('workspace/executeCommand', { command, arguments: [{ uri, token: sandbox.token, planId: 'x' }] }),
          /not trusted \(Restricted Mode\)/,
          command,
        );
      }
      const agents = await sandbox.request('GET', '/Agents');
      assert.equal(agents.body.totalResults, 0);
    } finally {
      await client.stop();
      await sandbox.dispose();
      removeWorkspace(root);
    }
  });
});
