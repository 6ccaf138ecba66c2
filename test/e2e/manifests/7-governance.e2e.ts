// The "Agent Identities" view and "Identify Token" in the real extension host: the tree's
// contents through the view's data provider (rendered by the internal describe command), the
// group-by toggle, opening a definition, and token correlation.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Correlation } from '../../../server/src/governance';
import type { RenderedNode } from '../../../client/src/governance/tree';
import { extension, waitFor } from '../helpers';

interface Described {
  groupBy: string;
  error?: string;
  nodes: RenderedNode[];
}

const describeTree = () => vscode.commands.executeCommand<Described>('scimAgents.identities.describe');
const find = (nodes: RenderedNode[], label: string) => nodes.find((n) => n.label === label);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

suite('governance: Agent Identities view and Identify Token', () => {
  suiteSetup(async () => {
    await extension().activate();
    await extension().exports.ready;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('scimAgents.identities.groupByApplication');
  });

  test('the view and its commands are contributed', async () => {
    const views = extension().packageJSON.contributes.views.explorer as { id: string; name: string }[];
    assert.ok(views.some((v) => v.id === 'scimAgents.identities' && v.name === 'Agent Identities'));
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'scimAgents.identities.groupByOwner',
      'scimAgents.identities.groupByApplication',
      'scimAgents.identities.refresh',
      'scimAgents.identifyToken',
    ]) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
  });

  test('grouped by application: the application with its agent, the other agents apart', async () => {
    await vscode.commands.executeCommand('scimAgents.identities.refresh');
    const tree = await waitFor('the inventory with the workspace manifests', async () => {
      const d = await describeTree();
      return d.nodes.some((n) => n.label === 'support-desk' && n.children?.some((c) => c.label === 'triage-bot')) ? d : undefined;
    });
    assert.equal(tree.groupBy, 'application');
    assert.equal(tree.error, undefined);
    const app = find(tree.nodes, 'support-desk')!;
    assert.equal(app.contextValue, 'scimAgents.identity.application');
    const triage = find(app.children!, 'triage-bot')!;
    assert.match(triage.description!, /^user:alice@example\.com, group:Support Engineering · credential none$/);
    assert.match(triage.tooltip!, /Owners:/);
    assert.equal(triage.contextValue, 'scimAgents.identity.agent');
    const loose = find(tree.nodes, 'Agents in no application')!;
    const looseNames = loose.children!.map((c) => c.label);
    assert.ok(looseNames.includes('release-notes-writer'), looseNames.join(', '));
    const ownerless = find(loose.children!, 'orphan-summarizer')!;
    assert.match(ownerless.description!, /^no owner · /);
  });

  test('the title-bar toggle groups by owner, and back', async () => {
    await vscode.commands.executeCommand('scimAgents.identities.groupByOwner');
    const byOwner = await waitFor('the tree grouped by owner', async () => {
      const d = await describeTree();
      return d.groupBy === 'owner' && find(d.nodes, 'user:alice@example.com') ? d : undefined;
    });
    // Earlier suites may leave other documents owned by alice open: hers include triage-bot, and no one else's agent.
    const alices = find(byOwner.nodes, 'user:alice@example.com')!.children!.map((c) => c.label);
    assert.ok(alices.includes('triage-bot'), alices.join(', '));
    assert.ok(!alices.includes('release-notes-writer'), alices.join(', '));
    assert.ok(find(byOwner.nodes, 'group:Release Managers')!.children!.some((c) => c.label === 'release-notes-writer'));
    assert.ok(find(byOwner.nodes, 'No owner')!.children!.some((c) => c.label === 'orphan-summarizer'));
    await vscode.commands.executeCommand('scimAgents.identities.groupByApplication');
    const back = await describeTree();
    assert.equal(back.groupBy, 'application');
    assert.ok(find(back.nodes, 'support-desk'));
  });

  test('selecting an item opens its definition at the name', async () => {
    const d = await waitFor('the tree grouped by application', async () => {
      const t = await describeTree();
      return t.groupBy === 'application' && find(t.nodes, 'support-desk') ? t : undefined;
    });
    const triage = find(find(d.nodes, 'support-desk')!.children!, 'triage-bot')!;
    assert.ok(triage.command, 'the item has a selection command');
    const target = triage.command.arguments[0] as vscode.Uri;
    const opened = new Promise<vscode.TextEditor>((resolve) => {
      const sub = vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e?.document.uri.toString() === target.toString()) {
          sub.dispose();
          resolve(e);
        }
      });
    });
    // What a click runs, run the same way.
    await vscode.commands.executeCommand(triage.command.command, ...triage.command.arguments);
    const editor = await opened;
    assert.match(target.path, /\/good\.agent\.yaml$/);
    assert.equal(editor.document.lineAt(editor.selection.start.line).text, 'name: triage-bot');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Identify Token names the agent and its owners, or says it belongs to no governed identity', async () => {
    const token = (claims: Record<string, unknown>) => `${b64({ alg: 'none' })}.${b64(claims)}.c2ln`;
    const none = await vscode.commands.executeCommand<Correlation>('scimAgents.identifyToken', { jwt: token({ sub: 'nobody' }) });
    assert.equal(none?.verdict, 'no-match');
    assert.match(none!.summary, /belongs to no governed identity/);
    const bad = await vscode.commands.executeCommand<Correlation | undefined>('scimAgents.identifyToken', { jwt: 'not-a-token' });
    assert.equal(bad, undefined, 'a malformed token is reported, not correlated');
  });
});
