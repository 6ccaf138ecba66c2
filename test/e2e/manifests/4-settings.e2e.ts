/**
 * Settings reach the language server: the client synchronises the `scimAgents` section, and a
 * new `files.include` list restarts the client with a wider document selector.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { open, revertAll, waitForDiagnostics, withCode } from '../helpers';

const config = () => vscode.workspace.getConfiguration('SCIMAgents');

suite('settings', () => {
  teardown(async () => {
    await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('files.include', undefined, vscode.ConfigurationTarget.Workspace);
    await revertAll();
  });

  test('SCIMAgents.rules changes the severity of a rule', async () => {
    const uri = (await open('missing-owner.agent.yaml')).document.uri;
    const severityOf = (ds: readonly vscode.Diagnostic[]) => ds.find(withCode('owner-missing'))?.severity;
    await waitForDiagnostics(uri, (ds) => severityOf(ds) === vscode.DiagnosticSeverity.Error, 'owner-missing as an error');
    await config().update('rules', { 'owner-missing': 'warning' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, (ds) => severityOf(ds) === vscode.DiagnosticSeverity.Warning, 'owner-missing as a warning');
    await config().update('rules', { 'owner-missing': 'off' }, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(uri, (ds) => severityOf(ds) === undefined, 'owner-missing turned off');
  });

  test('SCIMAgents.files.include brings other YAML files under validation', async () => {
    const editor = await open('agents/extra.yaml');
    assert.equal(editor.document.languageId, 'yaml', 'an included file keeps its own language');
    await config().update('files.include', ['agents/*.yaml'], vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(editor.document.uri, (ds) => ds.some(withCode('owner-missing')), 'owner-missing on the included file');
  });
});
