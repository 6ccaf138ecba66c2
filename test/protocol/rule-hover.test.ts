// The hover of a position with a finding: the rule's title, its summary and a link to its shipped page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';
import { ruleFor } from '../../server/src/rules/registry';

const BOT = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
name: bot
DisplayName: Bot
colour: red
owners:
  - value: user:alice@example.com
`;

const md = (h: Hover | null) => (h ? (h.contents as MarkupContent).value : '');
/** The Markdown links of a hover: [label](target). */
const links = (text: string) => [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);

describe('rule documentation in the hover', () => {
  let root: string;
  let client: LspClient;
  let uri: string;
  const hoverAt = (line: number, character: number) =>
    client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });

  before(async () => {
    root = tempWorkspace({ 'bot.agent.yaml': BOT });
    client = await LspClient.start(root);
    uri = client.uri('bot.agent.yaml');
    await client.diagnostics(uri, (ds) => ds.some((d) => d.code === 'unknown-attribute'), 'the findings of bot.agent.yaml');
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it('follows the attribute’s own documentation with the rule’s title, summary and page', async () => {
    const h = await hoverAt(2, 3); // DisplayName: attribute-case
    const text = md(h);
    const [attribute, rule] = text.split('\n\n---\n\n');
    assert.match(attribute!, /\*\*displayName\*\*: string/, 'the attribute part comes first, as before');
    assert.match(rule!, /^\*\*`attribute-case`\*\*: An attribute name \(or schema URN\) in non-canonical case/);
    assert.ok(rule!.includes('SCIM attribute names are case-insensitive on the wire'), rule);
    assert.deepEqual(h!.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 11 } });
    const [href] = links(rule!);
    assert.ok(href?.startsWith('file:') && href.endsWith('/docs/rules/attribute-case.md'), href);
    const page = fs.readFileSync(fileURLToPath(href), 'utf8');
    assert.ok(page.startsWith('# `attribute-case`'), 'the link opens the shipped rule page');
  });

  it('is the whole hover where nothing else is said, with the finding’s range', async () => {
    const h = await hoverAt(3, 2); // colour: unknown-attribute, no definition to describe
    const text = md(h);
    assert.ok(!text.includes('---'), text);
    assert.match(text, /^\*\*`unknown-attribute`\*\*: An attribute the resource's schemas do not define\.\n\n/);
    assert.ok(text.includes(ruleFor('unknown-attribute')!.docs.slice(0, 60)));
    assert.deepEqual(h!.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 6 } });
  });

  it('adds nothing where there is no finding, and nothing for a rule turned off', async () => {
    assert.ok(!md(await hoverAt(1, 1)).includes('Rule documentation'), 'name: no finding');
    await client.setSettings({ rules: { 'unknown-attribute': 'off' } });
    await client.diagnostics(uri, (ds) => !ds.some((d) => d.code === 'unknown-attribute'), 'unknown-attribute off');
    assert.equal(await hoverAt(3, 2), null);
  });
});
