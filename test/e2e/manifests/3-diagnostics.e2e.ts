/**
 * Behaviour promised by the README's rule catalogue, checked through the real language server.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, extension, open, revertAll, waitFor, waitForDiagnostics, withCode } from '../helpers';

const MISSING_OWNER = 'missing-owner.agent.yaml';

suite('diagnostics', () => {
  teardown(revertAll);

  test('an agent without owners gets an owner-missing error from scim-agents', async () => {
    const editor = await open(MISSING_OWNER);
    const diags = await waitForDiagnostics(editor.document.uri, (ds) => ds.some(withCode('owner-missing')), 'owner-missing');
    const d = diags.find(withCode('owner-missing'))!;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.source, 'scim-agents');
    assert.equal(d.range.start.line, d.range.end.line, 'the range stays on one line, never to the end of the file');
  });

  test('the server reports the profile it validated with', async () => {
    const editor = await open(MISSING_OWNER);
    const status = await waitFor('a scimAgents/status notification', () => extension().exports.status(editor.document.uri));
    assert.equal(status.profile, 'abbey-00');
    assert.ok(status.durationMs >= 0);
  });

  test('adding an owner clears owner-missing', async () => {
    const editor = await open(MISSING_OWNER);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (ds) => ds.some(withCode('owner-missing')), 'owner-missing');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    const prefix = editor.document.lineAt(editor.document.lineCount - 1).isEmptyOrWhitespace ? '' : '\n';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, end, `${prefix}owners:\n  - value: user:alice@example.com\n`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(uri, (ds) => !ds.some(withCode('owner-missing')), 'owner-missing to clear');
  });

  test('the good agent has no structural errors', async () => {
    const editor = await open('good.agent.yaml');
    const uri = editor.document.uri;
    await waitFor('the good agent to be validated', () => extension().exports.status(uri));
    const structural = ['syntax-error', 'schemas-missing', 'schema-unknown', 'required-missing', 'unknown-attribute', 'type-mismatch', 'owner-missing'];
    const found = vscode.languages.getDiagnostics(uri).filter((d) => structural.includes(codeOf(d) ?? ''));
    assert.deepEqual(
      found.map((d) => `${codeOf(d)}: ${d.message}`),
      [],
    );
  });

  test('owner-missing has a quick fix that clears it', async () => {
    const editor = await open(MISSING_OWNER);
    const uri = editor.document.uri;
    const diags = await waitForDiagnostics(uri, (ds) => ds.some(withCode('owner-missing')), 'owner-missing');
    const d = diags.find(withCode('owner-missing'))!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      uri,
      d.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    // vscode.executeCodeActionProvider does not return the actions' diagnostics, so the proof
    // that the fix belongs to owner-missing is that applying it clears the diagnostic.
    const fix = actions.find((a) => a.edit && (a.isPreferred || actions.length === 1)) ?? actions.find((a) => a.edit);
    assert.ok(fix, `a quick fix with an edit at owner-missing; got: ${actions.map((a) => a.title).join('; ') || 'none'}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await waitForDiagnostics(uri, (ds) => !ds.some(withCode('owner-missing')), 'owner-missing to clear after the fix');
  });

  test('hovering an attribute explains it', async () => {
    const editor = await open('good.agent.yaml');
    const line = editor.document
      .getText()
      .split(/\r?\n/)
      .findIndex((l) => /^name:/.test(l));
    assert.ok(line >= 0, 'the fixture has a name: line');
    const hovers = await waitFor('a hover on name', async () => {
      const hs = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(line, 1));
      return hs.length > 0 && hs;
    });
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /name/i);
  });
});
