import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, waitFor } from '../helpers';

suite('activation (workspace with manifests)', () => {
  test('activates from workspaceContains, before any manifest is opened', async () => {
    const ext = extension();
    const opened = vscode.workspace.textDocuments.filter((d) => d.languageId.startsWith('scim-agents-'));
    assert.deepEqual(
      opened.map((d) => d.uri.toString()),
      [],
      'no manifest may be open yet',
    );
    await waitFor('the extension to activate', () => ext.isActive);
  });

  test('starts the language server', async () => {
    await extension().exports.ready;
  });

  test('contributes its commands under the SCIM Agents category', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['scimAgents.restartServer', 'scimAgents.showOutput']) {
      assert.ok(commands.includes(id), `${id} is registered`);
    }
    const contributed = extension().packageJSON.contributes.commands as { command: string; category: string }[];
    for (const c of contributed) assert.equal(c.category, 'SCIM Agents', c.command);
  });
});
