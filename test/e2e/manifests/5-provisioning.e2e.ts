/**
 * Provisioning from VS Code against a real SCIM server, set up as `npm start` sets it up: the
 * driver runs the sandbox with the CLI (`scim-agents serve`) and writes the launcher's own
 * machine-scoped settings (e2./lib/launcher.mjs) naming its endpoint and data folder. No
 * token is stored or passed: the extension finds the sandbox's own. The commands get
 * `{ yes: true }` only because modal dialogs cannot be answered from the extension host (the
 * UI walk-through, e2e/run-ui-walkthrough.mjs, answers them).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extension, open, revertAll, waitFor, workspaceUri } from '../helpers';

const config = () => vscode.workspace.getConfiguration('SCIMAgents');
const MANIFEST = 'provisioning/e2e-bot.agent.yaml';

interface PlanResult {
  planId: string;
  endpointHost: string;
  counts: { create: number; update: number; unchanged: number; cannotApply: number };
}
interface ApplyResult {
  counts: { applied: number; unchanged: number; failed: number; skipped: number };
}

suite('provisioning', () => {
  /** What the launcher's settings name, as the extension reads them. */
  const sandbox = { baseUrl: '', token: '' };

  suiteSetup(async () => {
    await extension().activate();
    await extension().exports.ready;
    sandbox.baseUrl = config().get<string>('endpoint.url', '');
    const data = config().get<string>('sandbox.dataFolder', '');
    assert.match(sandbox.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/, "the launcher's machine-scoped endpoint setting is applied (not the default 8787)");
    assert.ok(data && fs.existsSync(path.join(data, 'token')), "the launcher's sandbox data folder setting is applied");
    sandbox.token = fs.readFileSync(path.join(data, 'token'), 'utf8').trim();
  });

  suiteTeardown(async () => {
    await revertAll();
  });

  test('a workspace cannot name another endpoint: the machine-scoped setting stays', async () => {
    const attacker = 'http://127.0.0.1:9/scim/v2';
    // VS Code refuses to write a machine-scoped setting into workspace settings, or ignores it there.
    await Promise.resolve(config().update('endpoint.url', attacker, vscode.ConfigurationTarget.Workspace)).catch(() => undefined);
    try {
      assert.equal(config().get<string>('endpoint.url'), sandbox.baseUrl);
    } finally {
      await Promise.resolve(config().update('endpoint.url', undefined, vscode.ConfigurationTarget.Workspace)).catch(() => undefined);
    }
  });

  const agentsNamed = async (externalId: string) => {
    const res = await fetch(`${sandbox.baseUrl}/Agents?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`, {
      headers: { Authorization: `Bearer ${sandbox.token}` },
    });
    assert.equal(res.status, 200);
    return ((await res.json()) as { Resources?: Record<string, unknown>[] }).Resources ?? [];
  };
  const lensTitle = (uri: vscode.Uri, prefix: string) =>
    waitFor(`a code lens starting "${prefix}"`, async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      return lenses.find((l) => l.command?.title.startsWith(prefix));
    });

  test('Plan shows a preview, Provision creates the agent, the code lens follows', async () => {
    const uri = workspaceUri(MANIFEST);
    await open(MANIFEST);
    await waitFor('the server to validate the manifest', () => extension().exports.status(uri));
    // Opening a manifest reads its state from the product's own sandbox: the lens says so before any Plan.
    await lensTitle(uri, 'SCIM: not provisioned');

    // No token was stored: the sandbox's own is found in its data folder, without a prompt.
    const plan = await vscode.commands.executeCommand<PlanResult>('scimAgents.provision.plan', { uri, yes: true });
    assert.ok(plan, 'the plan command returned its plan');
    assert.equal(plan.endpointHost, new URL(sandbox.baseUrl).host);
    assert.deepEqual(plan.counts, { create: 1, update: 0, unchanged: 0, cannotApply: 0 });
    const preview = await waitFor('the plan preview', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'scim-agents-plan' && d.getText().includes('e2e-bot')),
    );
    assert.match(preview.getText(), new RegExp(`SCIM endpoint ${plan.endpointHost.replace(/\./g, '\\.')}: 1 to create, 0 to update`));
    const lens = await lensTitle(uri, 'SCIM: not provisioned');
    assert.equal(lens.command?.command, 'scimAgents.provision.plan', 'the lens runs our Plan command, which adds the token');
    assert.equal((await agentsNamed('e2e-bot')).length, 0, 'planning wrote nothing');

    const result = await vscode.commands.executeCommand<ApplyResult>('scimAgents.provision.apply', { uri, yes: true });
    assert.ok(result);
    assert.deepEqual(result.counts, { applied: 1, unchanged: 0, failed: 0, skipped: 0 });
    const onServer = await agentsNamed('e2e-bot');
    assert.equal(onServer.length, 1);
    assert.equal(onServer[0]!.displayName, 'E2E Bot');
    await lensTitle(uri, 'SCIM: in sync');
    const diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'scim-agents-provision');
    assert.deepEqual(diags, [], 'no provisioning errors');
  });

  test('each plan updates the one preview of its manifest, wrapped, beside the manifest', async () => {
    const uri = workspaceUri(MANIFEST);
    const manifest = await open(MANIFEST);
    const planTabs = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'scim-agents-plan');
    for (let i = 0; i < 2; i++) {
      const plan = await vscode.commands.executeCommand<PlanResult>('scimAgents.provision.plan', { uri, yes: true });
      assert.deepEqual(plan?.counts, { create: 0, update: 0, unchanged: 1, cannotApply: 0 }, 'provisioned by the test before');
    }
    const preview = await waitFor('the preview to show the latest plan', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'scim-agents-plan' && d.getText().includes('0 to create, 0 to update, 1 unchanged')),
    );
    assert.equal(
      planTabs().length,
      1,
      `one preview tab, not one per plan: ${planTabs()
        .map((t) => t.label)
        .join(', ')}`,
    );
    assert.equal(preview.languageId, 'scim-agents-plan');
    assert.equal(vscode.workspace.getConfiguration('editor', preview).get('wordWrap'), 'on', 'long plan lines wrap');
    const shown = vscode.window.visibleTextEditors.find((e) => e.document === preview);
    assert.ok(shown, 'the preview is visible');
    assert.notEqual(shown.viewColumn, manifest.viewColumn, 'beside the manifest');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'the manifest keeps the focus');
  });

  test('a conflict on the server becomes a diagnostic on the resource', async () => {
    const uri = workspaceUri(MANIFEST);
    const editor = await open(MANIFEST);
    const edit = new vscode.WorkspaceEdit();
    const text = editor.document.getText();
    edit.replace(uri, new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(text.length)), text.replace(/e2e-bot/g, 'e2e-rival'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    const plan = await vscode.commands.executeCommand<PlanResult>('scimAgents.provision.plan', { uri, yes: true });
    assert.equal(plan?.counts.create, 1);
    const owner = (await (
      await fetch(`${sandbox.baseUrl}/Users?filter=${encodeURIComponent('userName eq "alice"')}`, { headers: { Authorization: `Bearer ${sandbox.token}` } })
    ).json()) as { Resources: { id: string }[] };
    const rival = await fetch(`${sandbox.baseUrl}/Agents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sandbox.token}`, 'Content-Type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'],
        name: 'e2e-rival',
        externalId: 'not-ours',
        owners: [{ value: owner.Resources[0]!.id }],
      }),
    });
    assert.equal(rival.status, 201);
    // Provision plans again (the rival now shows as a conflict) and applies nothing it cannot.
    const result = await vscode.commands.executeCommand<ApplyResult>('scimAgents.provision.apply', { uri, yes: true });
    assert.ok(result);
    const problem = await waitFor('a provisioning diagnostic', () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'scim-agents-provision'));
    assert.equal(
      problem.range.start.line,
      editor.document
        .getText()
        .split('\n')
        .findIndex((l) => l.startsWith('name:')),
      'on the name key',
    );
    assert.match(problem.message, /e2e-rival/);
    await lensTitle(uri, 'SCIM: cannot apply');
  });
});
