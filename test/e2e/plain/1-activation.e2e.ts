import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { extension, open, staysFalse, waitFor, workspaceUri } from '../helpers';

suite('activation (workspace without manifests)', () => {
  test('stays inactive while only ordinary YAML and JSON files are open', async () => {
    const ext = extension();
    const yaml = await open('config.yaml');
    const json = await open('package-sample.json');
    assert.equal(yaml.document.languageId, 'yaml');
    assert.equal(json.document.languageId, 'json');
    // A negative can only be observed over a window: 3 s after both editors are open.
    await staysFalse('the extension must not activate for plain YAML/JSON', () => ext.isActive, 3000);
  });

  test('activates when a manifest is opened', async () => {
    const ext = extension();
    const uri = workspaceUri('new.agent.yaml');
    const text = 'schemas:\n  - urn:ietf:params:scim:schemas:core:2.0:Agent\nname: fresh-agent\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'scim-agents-yaml');
    await waitFor('the extension to activate on the manifest', () => ext.isActive);
    await ext.exports.ready;
  });
});
