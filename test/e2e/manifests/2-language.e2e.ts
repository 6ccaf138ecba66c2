import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { revertAll, waitForDiagnostics, withCode, workspaceUri } from '../helpers';

/**
 * Red Hat YAML's client selects `{ language: 'yaml' }`, `dockercompose`,
 * `github-actions-workflow` and the pattern `*.y(a)ml`; VS Code's JSON support selects `json`
 * and `jsonc`. A document they do not match is never synced to their servers, so it gets
 * no second set of diagnostics.
 */
const RED_HAT_YAML: vscode.DocumentSelector = [
  { language: 'yaml' },
  { language: 'dockercompose' },
  { language: 'github-actions-workflow' },
  { pattern: '*.y(a)ml' },
];
const BUILTIN_JSON: vscode.DocumentSelector = [{ language: 'json' }, { language: 'jsonc' }];

async function doc(relative: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(workspaceUri(relative));
}

suite('language ids', () => {
  const expected: [string, string][] = [
    ['good.agent.yaml', 'scim-agents-yaml'],
    ['missing-owner.agent.yaml', 'scim-agents-yaml'],
    ['support-desk.agents.yml', 'scim-agents-yaml'],
    ['team.agents.json', 'scim-agents-json'],
    ['notes.yaml', 'yaml'],
    ['settings-sample.json', 'json'],
  ];
  for (const [file, language] of expected) {
    test(`${file} opens as ${language}`, async () => {
      assert.equal((await doc(file)).languageId, language);
    });
  }

  test('Red Hat YAML does not select YAML manifests (no duplicate diagnostics)', async () => {
    assert.equal(vscode.languages.match(RED_HAT_YAML, await doc('missing-owner.agent.yaml')), 0);
    assert.equal(vscode.languages.match(RED_HAT_YAML, await doc('support-desk.agents.yml')), 0);
    assert.ok(vscode.languages.match(RED_HAT_YAML, await doc('notes.yaml')) > 0, 'but it still gets plain YAML');
  });

  test("VS Code's JSON support does not select JSON manifests", async () => {
    assert.equal(vscode.languages.match(BUILTIN_JSON, await doc('team.agents.json')), 0);
    assert.ok(vscode.languages.match(BUILTIN_JSON, await doc('settings-sample.json')) > 0);
  });
});

suite('jsonValidation', () => {
  const text = JSON.stringify(
    [{ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'], name: 'json-mode', active: 'yes', owners: [{ value: 'user:alice@example.com' }] }],
    null,
    2,
  );
  const activeLine = text.split('\n').findIndex((l) => l.includes('"active"'));
  const onActive = (d: vscode.Diagnostic) => d.range.start.line === activeLine;

  teardown(revertAll);

  test('in plain JSON mode, VS Code checks a JSON manifest against the generated schema', async () => {
    const uri = workspaceUri('json-mode.agent.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'json');
    await vscode.window.showTextDocument(doc);
    // (Our server validates this file too, from the workspace index: a user who maps manifests
    // to plain JSON gets both sets. In our own language only ours appear: next test.)
    await waitForDiagnostics(uri, (ds) => ds.some((d) => d.source !== 'scim-agents' && onActive(d)), 'a JSON-schema diagnostic on "active"');
  });

  test('in our language, only scim-agents reports (no second set from the JSON schema)', async () => {
    const uri = workspaceUri('ours.agent.json');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'scim-agents-json');
    const diags = await waitForDiagnostics(uri, (ds) => ds.some(withCode('type-mismatch')), 'type-mismatch on "active"');
    assert.deepEqual(
      diags.filter((d) => d.source !== 'scim-agents').map((d) => `${d.source}: ${d.message}`),
      [],
    );
  });
});
