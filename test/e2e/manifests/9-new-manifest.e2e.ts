/**
 * New Agent Manifest (the walkthrough's first step): `<name>.agent.yaml` in the workspace folder,
 * filled from the "New agent" snippet, validated as any manifest; an existing file is never
 * overwritten.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { revertAll, waitFor, workspaceUri } from '../helpers';

const NAME = 'e2e-new-bot';

suite('new agent manifest', () => {
  teardown(async () => {
    await revertAll();
    await vscode.workspace.fs.delete(workspaceUri(`${NAME}.agent.yaml`)).then(undefined, () => undefined);
  });

  test('creates <name>.agent.yaml from the snippet and opens it; a second time leaves it alone', async () => {
    const created = await vscode.commands.executeCommand<string | undefined>('scimAgents.newAgentManifest', NAME);
    const uri = workspaceUri(`${NAME}.agent.yaml`);
    assert.equal(created, uri.toString());
    const editor = await waitFor(
      'the new manifest in the editor',
      () => vscode.window.activeTextEditor?.document.uri.toString() === created && vscode.window.activeTextEditor,
    );
    assert.equal(editor.document.languageId, 'scim-agents-yaml');
    const text = editor.document.getText();
    for (const line of ['  - urn:ietf:params:scim:schemas:core:2.0:Agent', `externalId: ${NAME}`, `name: ${NAME}`, 'owners:', '  - value: user:alice'])
      assert.ok(text.split('\n').includes(line), `"${line}" in:\n${text}`);
    const symbols = await waitFor('the server to read the new manifest', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', uri);
      return s && s.length > 0 && s;
    });
    assert.ok(symbols[0]!.name.includes(NAME), symbols[0]!.name);
    assert.ok(await editor.document.save());
    const again = await vscode.commands.executeCommand<string | undefined>('scimAgents.newAgentManifest', NAME);
    assert.equal(again, undefined, 'an existing file is refused');
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), text, 'and left as it was');
  });
});
