import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { extension, open, revertAll, waitFor, waitForDiagnostics, withCode, workspaceUri } from '../helpers';

/**
 * Typing a manifest in the real editor: the indentation a new manifest gets, where Enter puts
 * the cursor (VS Code applies our language configuration's onEnterRules), and the completion
 * settings that make key suggestions appear while typing.
 */
const AGENT = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: typed\n';

let scratch: string;
let n = 0;

/**
 * A manifest file (outside the workspace) opened in an editor with the cursor at its end. A file
 * rather than an untitled document: a file's language comes from its name when the editor's
 * model is made, while an untitled document can briefly be plain text in the workbench.
 */
async function newManifest(text: string): Promise<vscode.TextEditor> {
  const file = path.join(scratch, `typed-${n++}.agent.yaml`);
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  assert.equal(doc.languageId, 'scim-agents-yaml');
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  const end = doc.positionAt(text.length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/** Presses Enter at the end of the text and returns the new line and the cursor's column. */
async function enterAfter(text: string): Promise<{ line: string; column: number }> {
  const editor = await newManifest(text);
  await vscode.commands.executeCommand('hideSuggestWidget');
  await vscode.commands.executeCommand('type', { text: '\n' });
  const at = editor.selection.active;
  return { line: editor.document.lineAt(at.line).text, column: at.character };
}

suite('editing manifests', () => {
  suiteSetup(async () => {
    await extension().activate();
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-typing-'));
  });
  suiteTeardown(() => fs.rmSync(scratch, { recursive: true, force: true }));
  teardown(async () => {
    while (vscode.window.activeTextEditor) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('a new manifest is indented with 2 spaces', async () => {
    const editor = await newManifest('');
    assert.equal(editor.options.tabSize, 2);
    assert.equal(editor.options.insertSpaces, true);
    await vscode.commands.executeCommand('tab');
    assert.equal(editor.document.lineAt(0).text, '  ');
  });

  test('Enter after `key:` indents one level (2 columns)', async () => {
    assert.deepEqual(await enterAfter(`${AGENT}parent:`), { line: '  ', column: 2 });
    assert.deepEqual(await enterAfter(`${AGENT}owners:  # who answers for it`), { line: '  ', column: 2 });
    assert.deepEqual(await enterAfter(`${AGENT}description: |`), { line: '  ', column: 2 });
  });

  test('Enter after `- key: value` continues at the key, not at the dash', async () => {
    assert.deepEqual(await enterAfter(`${AGENT}owners:\n  - value: user:alice@example.com`), { line: '    ', column: 4 });
    assert.deepEqual(await enterAfter(`${AGENT}protocols:\n  - type: A2A\n    specificationUrl: https://a.example`), { line: '    ', column: 4 });
    assert.deepEqual(await enterAfter(`${AGENT}protocols:\n  - parent:`), { line: '      ', column: 6 });
  });

  test('Enter after a plain list item stays at the dash, after a plain value at the key', async () => {
    assert.deepEqual(await enterAfter('schemas:\n  - urn:ietf:params:scim:schemas:core:2.0:Agent'), { line: '  ', column: 2 });
    assert.deepEqual(await enterAfter(`${AGENT}parent:\n  value: agent:root`), { line: '  ', column: 2 });
    assert.deepEqual(await enterAfter(`${AGENT}active: true`), { line: '', column: 0 });
  });

  test('key suggestions come while typing, and no word list replaces them', async () => {
    for (const language of ['scim-agents-yaml', 'scim-agents-json']) {
      const editor = vscode.workspace.getConfiguration('editor', { languageId: language });
      const quick = editor.get<Record<string, unknown>>('quickSuggestions');
      // A YAML plain scalar is a string token: without `strings`, typing a key suggests nothing.
      assert.equal(quick?.strings, true, `${language}: quickSuggestions.strings`);
      assert.equal(quick?.other, true, `${language}: quickSuggestions.other`);
      assert.equal(editor.get('wordBasedSuggestions'), 'off', `${language}: wordBasedSuggestions`);
    }
    const typed = await newManifest(`${AGENT}own`);
    const list = await waitFor('completion of "own"', async () => {
      const l = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', typed.document.uri, typed.selection.active);
      return l.items.some((i) => i.label === 'owners') ? l : undefined;
    });
    const owners = list.items.find((i) => i.label === 'owners')!;
    const range = owners.range instanceof vscode.Range ? owners.range : owners.range!.replacing;
    assert.equal(typed.document.getText(range), 'own', 'replaces the partial word');
  });

  // The server loads Prettier from its own file next to it (dist/prettier.js) on the first
  // format: this is that file found and used by the extension as installed.
  test('Format Document lays a manifest out', async () => {
    await (
      await extension().activate()
    ).ready;
    const editor = await newManifest('schemas:   [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname:     formatted\nowners:\n    -   value: user:alice\n');
    const edits = await waitFor('the formatting edits', async () => {
      const e = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', editor.document.uri, {
        tabSize: 2,
        insertSpaces: true,
      });
      return e && e.length > 0 ? e : undefined;
    });
    const edit = new vscode.WorkspaceEdit();
    edit.set(editor.document.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(editor.document.getText(), 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: formatted\nowners:\n  - value: user:alice\n');
  });
});

suite('rule help', () => {
  teardown(revertAll);

  test("a diagnostic's code links to the rule's page shipped with the extension, and Show help opens it", async () => {
    const uri = workspaceUri('missing-owner.agent.yaml');
    await open('missing-owner.agent.yaml');
    const finding = (await waitForDiagnostics(uri, (ds) => ds.some(withCode('owner-missing')), 'owner-missing')).find(withCode('owner-missing'));
    const code = finding!.code as { value: string; target: vscode.Uri };
    assert.equal(code.value, 'owner-missing');
    assert.equal(code.target.scheme, 'file');
    const page = vscode.Uri.joinPath(extension().extensionUri, 'docs', 'rules', 'owner-missing.md');
    assert.equal(code.target.path, page.path, 'the page inside the installed extension');
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(code.target)), /^# `owner-missing`/);

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding!.range);
    const help = actions.find((a) => a.title === 'Show help for rule owner-missing');
    assert.ok(help?.command, `the help action among ${actions.map((a) => a.title).join(' | ')}`);
    const shown = await vscode.commands.executeCommand<string>(help.command.command, ...(help.command.arguments ?? []));
    assert.equal(shown, page.toString());
  });
});
