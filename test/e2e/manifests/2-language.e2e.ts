import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { workspaceUri } from '../helpers';

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
