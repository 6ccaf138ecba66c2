// Semantic tokens over the protocol: references judged against the workspace, schema URNs in keys
// and values, keys of an extension schema; the legend the server advertises is package.json's.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver-protocol';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';
import { repoPath } from '../helpers/repo';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/lsp/semanticTokens';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PEOPLE = `schemas: [${USER}]\nuserName: alice@example.com\n`;
const AGENT = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
name: bot
owners:
  - value: user:alice@example.com
  - value: "user:nobody@example.com"
  - value: group:Nobody Declares Groups
`;
const EMPLOYEE = `schemas: [${USER}, ${ENTERPRISE}, urn:example:not:a:schema]
userName: carol@example.com
${ENTERPRISE}:
  employeeNumber: "42"
  manager:
    value: x
---
schemas: [${USER}, ${ENTERPRISE}]
userName: dave@example.com
${ENTERPRISE}:department: Ops
`;

interface Decoded {
  line: number;
  char: number;
  text: string;
  type: string;
  modifiers: string[];
}

/** The relative encoding of LSP 3.16 semantic tokens, decoded against the document's lines. */
function decode(text: string, tokens: SemanticTokens, legend: SemanticTokensLegend): Decoded[] {
  const lines = text.split('\n');
  const out: Decoded[] = [];
  let line = 0;
  let char = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [dl, dc, len, type, mods] = tokens.data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    char = dl === 0 ? char + dc : dc;
    out.push({
      line,
      char,
      text: lines[line]!.slice(char, char + len),
      type: legend.tokenTypes[type]!,
      modifiers: legend.tokenModifiers.filter((_, bit) => mods & (1 << bit)),
    });
  }
  return out;
}

const brief = (ts: Decoded[]) => ts.map((t) => `${t.line}:${t.type}${t.modifiers.length ? `.${t.modifiers.join('.')}` : ''}:${t.text}`);

describe('semantic tokens', () => {
  let root: string;
  let client: LspClient;
  let legend: SemanticTokensLegend;

  before(async () => {
    root = tempWorkspace({ 'people.agents.yaml': PEOPLE });
    client = await LspClient.start(root);
    legend = client.capabilities.semanticTokensProvider!.legend;
    await client.diagnostics(client.uri('people.agents.yaml'), () => true, 'the workspace to be indexed');
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it('advertises full and range, with the legend package.json declares and maps to TextMate scopes', () => {
    const provider = client.capabilities.semanticTokensProvider!;
    assert.equal(provider.full, true);
    assert.equal(provider.range, true);
    assert.deepEqual(legend.tokenTypes, [...TOKEN_TYPES]);
    assert.deepEqual(legend.tokenModifiers, [...TOKEN_MODIFIERS]);
    const contributes = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')).contributes;
    assert.deepEqual(
      contributes.semanticTokenTypes.map((t: { id: string }) => t.id),
      legend.tokenTypes,
    );
    assert.deepEqual(
      contributes.semanticTokenModifiers.map((t: { id: string }) => t.id),
      legend.tokenModifiers,
    );
    for (const language of ['scim-agents-yaml', 'scim-agents-json']) {
      const scopes = contributes.semanticTokenScopes.find((s: { language?: string }) => s.language === language)?.scopes ?? {};
      for (const selector of [...legend.tokenTypes, 'scimReference.resolved', 'scimReference.unresolved', 'scimSchema.unresolved']) {
        assert.ok(Array.isArray(scopes[selector]) && scopes[selector].length > 0, `${language}: ${selector} has a TextMate scope`);
      }
    }
  });

  it('marks a reference resolved or unresolved after its prefix, and says nothing where the workspace declares no such kind', async () => {
    const uri = client.uri('bot.agent.yaml');
    client.open(uri, AGENT);
    const tokens = decode(AGENT, await client.request('textDocument/semanticTokens/full', { textDocument: { uri } }), legend);
    assert.deepEqual(brief(tokens), [
      '0:scimSchema:urn:ietf:params:scim:schemas:core:2.0:Agent',
      '3:scimReference.resolved:alice@example.com',
      '4:scimReference.unresolved:nobody@example.com',
      '5:scimReference:Nobody Declares Groups',
    ]);
  });

  it('marks schema URNs (unknown ones unresolved), extension objects, qualified keys and the extension’s keys', async () => {
    const uri = client.uri('employee.agents.yaml');
    client.open(uri, EMPLOYEE);
    const tokens = decode(EMPLOYEE, await client.request('textDocument/semanticTokens/full', { textDocument: { uri } }), legend);
    assert.deepEqual(brief(tokens), [
      `0:scimSchema:${USER}`,
      `0:scimSchema:${ENTERPRISE}`,
      '0:scimSchema.unresolved:urn:example:not:a:schema',
      `2:scimSchema:${ENTERPRISE}`,
      '3:scimExtensionKey:employeeNumber',
      '4:scimExtensionKey:manager',
      '5:scimExtensionKey:value',
      `7:scimSchema:${USER}`,
      `7:scimSchema:${ENTERPRISE}`,
      `9:scimSchema:${ENTERPRISE}`,
      '9:scimExtensionKey:department',
    ]);
    const range = decode(
      EMPLOYEE,
      await client.request('textDocument/semanticTokens/range', {
        textDocument: { uri },
        range: { start: { line: 3, character: 0 }, end: { line: 5, character: 0 } },
      }),
      legend,
    );
    assert.deepEqual(brief(range), ['3:scimExtensionKey:employeeNumber', '4:scimExtensionKey:manager'], 'only the lines asked for');
  });

  it('finds the same in JSON, inside the quotes', async () => {
    const uri = client.uri('bot.agent.json');
    const text = `{\n  "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"],\n  "name": "jbot",\n  "owners": [{ "value": "user:alice@example.com" }]\n}\n`;
    client.open(uri, text);
    const tokens = decode(text, await client.request('textDocument/semanticTokens/full', { textDocument: { uri } }), legend);
    assert.deepEqual(brief(tokens), ['1:scimSchema:urn:ietf:params:scim:schemas:core:2.0:Agent', '3:scimReference.resolved:alice@example.com']);
  });

  it('answers an unknown document and a broken one without failing', async () => {
    const none = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri: client.uri('never-opened.agent.yaml') } });
    assert.deepEqual(none.data, []);
    const uri = client.uri('broken.agent.yaml');
    client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent\nowners:\n  - value: user:\n  - value: [user:x\n');
    const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
    assert.equal(tokens.data.length % 5, 0);
    assert.ok(!client.logs.some((l) => l.includes('semanticTokens failed')), client.logs.join('\n'));
  });
});
