/**
 * A multi-root workspace (e2e/fixtures/multiroot-ws/multiroot.code-workspace): each folder's
 * `.vscode/settings.json` sets its own profile and rule severities, VS Code's language client
 * answers the server's `workspace/configuration` per folder, and the same manifest is checked
 * differently in each folder. A change to one folder's setting reaches that folder's file.
 * alpha's settings are written under the old names (`scimAgents.*`): the extension moves them to
 * `SCIMAgents.*` in the same file, so they still apply.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { waitForDiagnostics, withCode } from '../helpers';

function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `the workspace has a folder "${name}"`);
  return found;
}

const severityOf = (ds: readonly vscode.Diagnostic[], code: string) => ds.find(withCode(code))?.severity;

suite('settings per workspace folder', () => {
  const alpha = () => vscode.Uri.joinPath(folder('alpha').uri, 'bot.agent.yaml');
  const beta = () => vscode.Uri.joinPath(folder('beta').uri, 'bot.agent.yaml');

  suiteTeardown(async () => {
    await vscode.workspace
      .getConfiguration('SCIMAgents', folder('beta').uri)
      .update('rules', { 'attribute-case': 'off' }, vscode.ConfigurationTarget.WorkspaceFolder);
  });

  test("the same manifest gets each folder's profile and severities", async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(alpha()));
    const a = await waitForDiagnostics(alpha(), (ds) => ds.some(withCode('attribute-case')), "alpha's file checked");
    assert.equal(severityOf(a, 'attribute-case'), vscode.DiagnosticSeverity.Error, "alpha's rules");
    assert.equal(severityOf(a, 'required-missing'), undefined, 'abbey-00 in alpha');

    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(beta()));
    const b = await waitForDiagnostics(beta(), (ds) => ds.some(withCode('required-missing')), "beta's file checked under wzdk-00");
    assert.equal(severityOf(b, 'attribute-case'), undefined, 'off in beta');
  });

  test("a change to one folder's setting reaches that folder's file, not the other's", async () => {
    await vscode.workspace
      .getConfiguration('SCIMAgents', folder('beta').uri)
      .update('rules', { 'attribute-case': 'info' }, vscode.ConfigurationTarget.WorkspaceFolder);
    const b = await waitForDiagnostics(
      beta(),
      (ds) => severityOf(ds, 'attribute-case') === vscode.DiagnosticSeverity.Information,
      'attribute-case as information in beta',
    );
    assert.ok(b.some(withCode('required-missing')), 'still wzdk-00');
    assert.equal(severityOf(vscode.languages.getDiagnostics(alpha()), 'attribute-case'), vscode.DiagnosticSeverity.Error, 'alpha keeps its own');
  });

  test("alpha's settings under their old names were moved to the new ones, in alpha's own file", () => {
    const file = vscode.Uri.joinPath(folder('alpha').uri, '.vscode', 'settings.json').fsPath;
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(settings['SCIMAgents.rules'], { 'attribute-case': 'error' });
    assert.equal(settings['SCIMAgents.profile'], 'abbey-00');
    assert.deepEqual(
      Object.keys(settings).filter((k) => k.startsWith('scimAgents.')),
      [],
      'no old key left',
    );
  });
});
