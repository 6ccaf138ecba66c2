// Typing over the protocol: after edits that move documents (lines added above them, a `---`
// that splits a document, one removed to merge two, characters typed into the first resource,
// a syntax error and its fix), the published diagnostics of each version equal those of a fresh server that opens that text.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Position } from 'vscode-languageserver-protocol';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

function agent(i: number): string {
  return [
    `schemas: [urn:ietf:params:scim:schemas:core:2.0:${i % 4 === 1 ? 'agent' : 'Agent'}]`,
    `externalId: p-${i % 5 === 4 ? i - 1 : i}`,
    `name: p-${i}`,
    `displayName: Typed ${i}`,
    ...(i % 3 === 0 ? ['Description: wrong case'] : []),
    ...(i % 6 === 5 ? ['DisplayName: again'] : []),
    'owners:',
    `  - value: user:${i % 4 === 0 ? 'nobody' : 'alice'}`,
  ].join('\n');
}

const START =
  [
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:User]\nuserName: alice',
    ...Array.from({ length: 12 }, (_, i) => agent(i)),
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:AgenticApplication]\nname: app\nagents:\n  - value: agent:p-3\n  - value: agent:missing',
  ].join('\n---\n') + '\n';

/** Each step edits the previous text. */
const STEPS: ((t: string) => string)[] = [
  (t) => t.replace('displayName: Typed 6', 'displayName: Typed 6x'),
  (t) => t.replace('userName: alice', 'userName: alice\n# a comment line\n'),
  (t) => t.replace('displayName: Typed 0', 'displayName: Typed 0abc'),
  (t) => t.replace('name: p-4\n', 'name: p-4\n---\nschemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\n'),
  (t) => t.replace('displayName: Typed 2\n', ''),
  // Merges two documents: duplicate keys, a syntax error (the whole file is parsed), then fixed.
  (t) => t.replace('\n---\nschemas: [urn:ietf:params:scim:schemas:core:2.0:agent]\nexternalId: p-8\nname: p-9', '\nname: p-9'),
  (t) => t.replace('\nname: p-9', '\n---\nschemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: p-9'),
  (t) => t.replace('# a comment line\n', ''),
];

const shape = (ds: Diagnostic[]) =>
  ds
    .map((d) => ({ code: String(d.code), range: d.range, message: d.message, severity: d.severity }))
    .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code));

/** The range of `old` that `text` replaced, and what replaced it. */
function changedRange(old: string, text: string): [{ start: Position; end: Position }, string] {
  let prefix = 0;
  while (prefix < Math.min(old.length, text.length) && old[prefix] === text[prefix]) prefix++;
  let suffix = 0;
  while (suffix < Math.min(old.length, text.length) - prefix && old[old.length - 1 - suffix] === text[text.length - 1 - suffix]) suffix++;
  return [{ start: positionAt(old, prefix), end: positionAt(old, old.length - suffix) }, text.slice(prefix, text.length - suffix)];
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

describe('typing in a multi-document manifest', () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    root = tempWorkspace({});
    client = await LspClient.start(root);
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it('each version after an edit that moves documents is published as a fresh server publishes its text', async () => {
    const uri = client.uri('typed.agents.yaml');
    client.open(uri, START);
    await client.diagnostics(uri, (_d, p) => p.version === 1);
    let text = START;
    for (const [k, step] of STEPS.entries()) {
      const next = step(text);
      assert.notEqual(next, text, `step ${k} changes the text`);
      const previous = text;
      text = next;
      // As an editor sends them: the changed stretch as a range, but one step as the whole text.
      const v = k === 3 ? client.change(uri, text) : client.edit(uri, ...changedRange(previous, text));
      const got = await client.diagnostics(uri, (_d, p) => p.version === v, `version ${v}`);
      const freshRoot = tempWorkspace({});
      const fresh = await LspClient.start(freshRoot);
      try {
        const freshUri = fresh.uri('typed.agents.yaml');
        fresh.open(freshUri, text);
        const want = await fresh.diagnostics(freshUri, (_d, p) => p.version === 1, 'fresh');
        assert.ok(want.length > 0);
        assert.deepEqual(shape(got), shape(want), `diagnostics after step ${k}`);
      } finally {
        await fresh.stop();
        removeWorkspace(freshRoot);
      }
    }
  });
});
