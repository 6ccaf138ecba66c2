// Golden tests for every quick fix: the code action's edits applied to a fixture must give the
// expected file byte for byte (comments, anchors, flow style and CRLF kept), and the fixed file
// must no longer have the finding.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TextDocuments, type CodeAction, type TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from '../../server/src/lsp/codeActions';
import { ServerState } from '../../server/src/lsp/state';
import { applyEdits } from '../protocol/lspClient';

const DIR = path.resolve('test/fixtures/quickfix');

interface Case {
  input: string;
  code: string;
  title: RegExp;
  expected: string;
}

const CASES: Case[] = [
  { input: 'owners-block.input.agent.yaml', code: 'owner-missing', title: /Add an owner/, expected: 'owners-block.expected.agent.yaml' },
  { input: 'owners-empty.input.agent.yaml', code: 'owner-missing', title: /Add an owner/, expected: 'owners-empty.expected.agent.yaml' },
  { input: 'owners-flow.input.agent.yaml', code: 'owner-missing', title: /Add an owner/, expected: 'owners-flow.expected.agent.yaml' },
  { input: 'owners.input.agent.json', code: 'owner-missing', title: /Add an owner/, expected: 'owners.expected.agent.json' },
  { input: 'owners-crlf.input.agent.yaml', code: 'owner-missing', title: /Add an owner/, expected: 'owners-crlf.expected.agent.yaml' },
  { input: 'schemas-block.input.agent.yaml', code: 'schemas-missing', title: /Add schemas: \[Agent\]/, expected: 'schemas-block.expected.agent.yaml' },
  { input: 'schemas.input.agent.json', code: 'schemas-missing', title: /Add schemas: \[Agent\]/, expected: 'schemas.expected.agent.json' },
  { input: 'case-block.input.agent.yaml', code: 'attribute-case', title: /Write "displayName"/, expected: 'case-block.expected.agent.yaml' },
  { input: 'case-flow.input.agent.yaml', code: 'attribute-case', title: /Write "description"/, expected: 'case-flow.expected.agent.yaml' },
  { input: 'case.input.agent.json', code: 'attribute-case', title: /Write "name"/, expected: 'case.expected.agent.json' },
  { input: 'readonly-block.input.agent.yaml', code: 'read-only-attribute', title: /Remove read-only "id"/, expected: 'readonly-block.expected.agent.yaml' },
  { input: 'readonly-flow.input.agent.yaml', code: 'read-only-attribute', title: /Remove read-only "id"/, expected: 'readonly-flow.expected.agent.yaml' },
  { input: 'readonly.input.agent.json', code: 'read-only-attribute', title: /Remove read-only "id"/, expected: 'readonly.expected.agent.json' },
  { input: 'readonly-crlf.input.agent.yaml', code: 'read-only-attribute', title: /Remove read-only "meta"/, expected: 'readonly-crlf.expected.agent.yaml' },
  { input: 'subject-block.input.agent.yaml', code: 'credential-unbound', title: /Add subject: agent-42/, expected: 'subject-block.expected.agent.yaml' },
  { input: 'subject.input.agent.json', code: 'credential-unbound', title: /Add subject: caller/, expected: 'subject.expected.agent.json' },
  {
    input: 'secret-block.input.agent.yaml',
    code: 'secret-inline',
    title: /Replace the secret with \$\{env:PORTAL_CLIENT_SECRET\}/,
    expected: 'secret-block.expected.agent.yaml',
  },
  { input: 'secret-block.input.agent.yaml', code: 'secret-inline', title: /Remove "clientSecret"/, expected: 'secret-block-removed.expected.agent.yaml' },
  { input: 'secret.input.agent.json', code: 'secret-inline', title: /Replace the secret/, expected: 'secret.expected.agent.json' },
  { input: 'secret.input.agent.json', code: 'secret-inline', title: /Remove "clientSecret"/, expected: 'secret-removed.expected.agent.json' },
  {
    input: 'secret-crlf.input.agent.yaml',
    code: 'secret-inline',
    title: /Replace the secret with \$\{env:KEYHOLDER_PRIVATE_KEY\}/,
    expected: 'secret-crlf.expected.agent.yaml',
  },
  { input: 'canonical-flow.input.agent.yaml', code: 'canonical-value', title: /Change to "MCP-Server"/, expected: 'canonical-flow.expected.agent.yaml' },
  { input: 'canonical.input.agent.json', code: 'canonical-value', title: /Change to "A2A"/, expected: 'canonical.expected.agent.json' },
  { input: 'unknown-block.input.agent.yaml', code: 'unknown-attribute', title: /Rename to "description"/, expected: 'unknown-block.expected.agent.yaml' },
  { input: 'unknown.input.agent.json', code: 'unknown-attribute', title: /Rename to "displayName"/, expected: 'unknown.expected.agent.json' },
  {
    input: 'case-block.input.agent.yaml',
    code: 'attribute-case',
    title: /Disable attribute-case for this line/,
    expected: 'case-block-disabled.expected.agent.yaml',
  },
];

function stateWith(uri: string, text: string): ServerState {
  const state = new ServerState(new TextDocuments(TextDocument));
  state.setText(uri, text);
  return state;
}

function actionsFor(uri: string, text: string, code: string): CodeAction[] {
  const state = stateWith(uri, text);
  const diagnostics = state.findings(uri).filter((f) => f.code === code);
  assert.ok(diagnostics.length > 0, `the fixture has a ${code} finding`);
  const end = state.index.get(uri)!.manifest.lines.positionAt(text.length);
  const actions = codeActions(state, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end }, context: { diagnostics: [] } });
  return actions.filter((a) => a.diagnostics?.some((d) => d.code === code));
}

describe('quick fixes (golden files)', () => {
  for (const c of CASES) {
    it(`${c.code}: ${c.input} → ${c.expected}`, () => {
      const input = fs.readFileSync(path.join(DIR, c.input), 'utf8');
      const uri = `file:///fixtures/${c.input}`;
      const actions = actionsFor(uri, input, c.code);
      const action = actions.find((a) => c.title.test(a.title));
      assert.ok(action, `an action matching ${c.title} among: ${actions.map((a) => a.title).join(' | ')}`);
      const edits = action.edit!.changes![uri] as TextEdit[];
      const output = applyEdits(input, edits);
      const expectedPath = path.join(DIR, c.expected);
      if (process.env.SCIM_AGENTS_UPDATE_GOLDEN === '1') fs.writeFileSync(expectedPath, output);
      assert.equal(output, fs.readFileSync(expectedPath, 'utf8'));
      // Edits are minimal: every edit touches only what it must, never the whole document.
      for (const e of edits) assert.ok(e.newText.length < input.length, 'no edit rewrites the document');
      // Line endings are the file's own.
      if (input.includes('\r\n')) assert.doesNotMatch(output.replace(/\r\n/g, ''), /\n/, 'CRLF kept throughout');
      // And the fix fixes: the finding is gone from the same place.
      const after = stateWith(uri, output).findings(uri);
      assert.equal(after.filter((f) => f.code === 'syntax-error').length, 0, 'the result parses');
      assert.ok(after.filter((f) => f.code === c.code).length < actionsForCount(uri, input, c.code), `${c.code} fixed`);
    });
  }
});

function actionsForCount(uri: string, text: string, code: string): number {
  return stateWith(uri, text)
    .findings(uri)
    .filter((f) => f.code === code).length;
}
