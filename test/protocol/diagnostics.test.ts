// Diagnostics over the protocol: push on open and edit, cross-file rules, suppression, settings.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const USERS = `schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: alice@example.com
---
schemas: [urn:ietf:params:scim:schemas:core:2.0:User]
userName: bob@example.com
`;

const AGENT = `schemas:
  - urn:ietf:params:scim:schemas:core:2.0:Agent
name: helpdesk
owners:
  - value: user:alice@example.com
`;

const codes = (ds: { code?: string | number }[]) => ds.map((d) => String(d.code));
const text = (m: string | { value: string }) => (typeof m === 'string' ? m : m.value);

describe('diagnostics', () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    root = tempWorkspace({
      'people.agents.yaml': USERS,
      'dup-a.agent.yaml': 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: twin\nowners: [{value: "user:bob@example.com"}]\n',
      'dup-b.agent.json': '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"], "name": "twin", "owners": [{"value": "user:bob@example.com"}]}\n',
      'node_modules/ignored.agent.yaml': 'not: [valid\n',
      'notes.yaml': 'whatever: 1\n',
    });
    client = await LspClient.start(root);
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  it('lints every manifest of the workspace folder, not only open ones (and skips node_modules)', async () => {
    const a = await client.diagnostics(client.uri('dup-a.agent.yaml'), (ds) => ds.length > 0, 'duplicate in dup-a');
    const b = await client.diagnostics(client.uri('dup-b.agent.json'), (ds) => ds.length > 0, 'duplicate in dup-b');
    assert.deepEqual(codes(a), ['duplicate-identifier']);
    assert.deepEqual(codes(b), ['duplicate-identifier']);
    assert.match(text(a[0]!.message), /dup-b\.agent\.json/);
    assert.equal(a[0]!.source, 'scim-agents');
    // The rule's help page shipped with the extension, reachable offline.
    const help = a[0]!.codeDescription?.href ?? '';
    assert.match(help, /^file:\/\/.*\/docs\/rules\/duplicate-identifier\.md$/);
    assert.match(fs.readFileSync(fileURLToPath(help), 'utf8'), /^# `duplicate-identifier`/);
    assert.equal(client.published.has(client.uri('node_modules/ignored.agent.yaml')), false);
    assert.equal(client.published.has(client.uri('notes.yaml')), false);
  });

  it('publishes on open, with severity, range, code and data', async () => {
    const uri = client.uri('new.agent.yaml');
    client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: solo\nDisplayName: Solo\n');
    const ds = await client.diagnostics(uri, (d, p) => p.version === 1 && d.length > 0);
    const owner = ds.find((d) => d.code === 'owner-missing');
    assert.ok(owner, `owner-missing in ${codes(ds)}`);
    assert.equal(owner.severity, 1);
    assert.deepEqual(owner.data, { hasOwnersKey: false });
    assert.deepEqual(owner.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
    const kase = ds.find((d) => d.code === 'attribute-case');
    assert.equal(kase?.severity, 2);
    assert.deepEqual(kase?.data, { canonical: 'displayName', written: 'DisplayName' });
    const status = await waitStatus(client, uri);
    assert.equal(status.profile, 'abbey-00');
    assert.equal(status.resources, 1);
    assert.ok(status.durationMs >= 0);
  });

  it('resolves an owner declared in another file, and updates and clears on edit', async () => {
    const uri = client.uri('edit.agent.yaml');
    client.open(uri, AGENT.replace('alice@example.com', 'carol@example.com'));
    const before = await client.diagnostics(uri, (_d, p) => p.version === 1);
    assert.deepEqual(codes(before), ['owner-unresolved']);
    const v2 = client.change(uri, AGENT);
    const cleared = await client.diagnostics(uri, (_d, p) => p.version === v2);
    assert.deepEqual(codes(cleared), [], 'alice is a User of people.agents.yaml');
    const v3 = client.change(uri, AGENT + 'id: abc\n');
    const again = await client.diagnostics(uri, (_d, p) => p.version === v3);
    assert.deepEqual(codes(again), ['read-only-attribute']);
    assert.equal(again[0]!.range.start.line, 5);
  });

  it('re-lints other files when a change affects them (cross-file duplicate appears and goes)', async () => {
    const uri = client.uri('third.agent.yaml');
    const other = client.uri('dup-a.agent.yaml');
    const count = () => text(client.latest(other)!.diagnostics[0]!.message);
    client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: twin\nowners: [{value: "user:bob@example.com"}]\n');
    await client.diagnostics(other, (ds) => ds.length === 1 && /third\.agent\.yaml/.test(text(ds[0]!.message)), 'dup-a to name the third file');
    client.change(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: single\nowners: [{value: "user:bob@example.com"}]\n');
    await client.diagnostics(other, (ds) => ds.length === 1 && !/third\.agent\.yaml/.test(text(ds[0]!.message)), 'dup-a no longer to name it');
    assert.doesNotMatch(count(), /third/);
  });

  it('honours a disable-next-line comment', async () => {
    const uri = client.uri('suppressed.agent.yaml');
    client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\n# scim-agents-disable-next-line owner-missing\nname: quiet\n');
    const ds = await client.diagnostics(uri, (_d, p) => p.version === 1);
    assert.deepEqual(codes(ds), []);
    const v2 = client.change(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\n# scim-agents-disable-next-line attribute-case\nname: quiet\n');
    assert.deepEqual(codes(await client.diagnostics(uri, (_d, p) => p.version === v2)), ['owner-missing']);
  });

  it('applies a rule severity from the settings, and "off"', async () => {
    const uri = client.uri('settings.agent.yaml');
    client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: configured\n');
    await client.diagnostics(uri, (ds) => ds.some((d) => d.code === 'owner-missing' && d.severity === 1));
    await client.setSettings({ rules: { 'owner-missing': 'info' } });
    await client.diagnostics(uri, (ds) => ds.some((d) => d.code === 'owner-missing' && d.severity === 3), 'owner-missing as information');
    await client.setSettings({ rules: { 'owner-missing': 'off' } });
    await client.diagnostics(uri, (ds) => !ds.some((d) => d.code === 'owner-missing'), 'owner-missing off');
    await client.setSettings({});
    await client.diagnostics(uri, (ds) => ds.some((d) => d.code === 'owner-missing' && d.severity === 1), 'owner-missing back');
  });

  it("a burst of edits leaves only the last version's diagnostics", async () => {
    const uri = client.uri('burst.agent.yaml');
    client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: burst\n');
    await client.diagnostics(uri, (_d, p) => p.version === 1);
    const before = client.published.get(uri)!.length;
    let last = 1;
    for (let i = 0; i < 30; i++)
      last = client.change(uri, `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: burst${i}\n${i % 2 ? 'id: x\n' : ''}`);
    last = client.change(uri, AGENT.replace('helpdesk', 'burst-final'));
    const ds = await client.diagnostics(uri, (_d, p) => p.version === last);
    assert.deepEqual(codes(ds), []);
    const during = client.published.get(uri)!.slice(before);
    assert.ok(during.length < 5, `debounced: ${during.length} publications for 31 edits`);
    assert.ok(during.every((p) => p.version === undefined || p.version <= last));
  });

  it('follows files changed on disk (workspace/didChangeWatchedFiles)', async () => {
    const file = path.join(root, 'disk.agent.yaml');
    fs.writeFileSync(file, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: disk\n');
    const uri = client.uri('disk.agent.yaml');
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 1 }] });
    await client.diagnostics(uri, (ds) => codes(ds).includes('owner-missing'), 'created file linted');
    fs.unlinkSync(file);
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 3 }] });
    await client.diagnostics(uri, (ds) => ds.length === 0, 'deleted file cleared');
  });

  it('a manifest appearing where the scan does not look (node_modules, dist, a hidden folder) is not indexed', async () => {
    // The watcher's glob matches manifest names anywhere; an install or a build must not add
    // second declarations to the workspace. One change event carries all four, in order.
    const agent = (name: string) =>
      `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: ${name}\nexternalId: watched-1\nowners: [{value: "user:bob@example.com"}]\n`;
    const uri = client.uri('watched.agent.yaml');
    client.open(uri, agent('watched'));
    await client.diagnostics(uri, (_d, p) => p.version === 1);
    const created = ['node_modules/pkg/copy.agent.yaml', 'dist/copy.agent.yaml', '.archive/copy.agent.yaml', 'other.agent.yaml'];
    for (const f of created) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), agent(`copy-${created.indexOf(f)}`));
    }
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: created.map((f) => ({ uri: client.uri(f), type: 1 })) });
    const ds = await client.diagnostics(uri, (d) => codes(d).includes('duplicate-identifier'), 'the duplicate at the root found');
    const message = text(ds.find((d) => d.code === 'duplicate-identifier')!.message);
    assert.match(message, /is also used by other\.agent\.yaml \(Agent "copy-3"\); each/, message);
    for (const f of created) fs.rmSync(path.join(root, f.split('/')[0]!), { recursive: true, force: true });
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('other.agent.yaml'), type: 3 }] });
    await client.diagnostics(uri, (d) => !codes(d).includes('duplicate-identifier'), 'gone with the file');
    client.close(uri);
  });

  it('closing a file that is not on disk clears its diagnostics', async () => {
    const uri = client.uri('scratch.agent.yaml');
    client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: scratch\n');
    await client.diagnostics(uri, (ds) => ds.length > 0);
    client.close(uri);
    await client.diagnostics(uri, (ds) => ds.length === 0, 'cleared on close');
  });

  it('reports syntax errors on one line and keeps serving', async () => {
    const uri = client.uri('broken.agent.yaml');
    client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent\nname: x\nowners:\n  - value: user:alice@example.com\n');
    const ds = await client.diagnostics(uri, (_d, p) => p.version === 1);
    const syntax = ds.filter((d) => d.code === 'syntax-error');
    assert.ok(syntax.length > 0);
    for (const d of syntax) assert.equal(d.range.start.line, d.range.end.line);
    const info = await client.request<{ files: number }>('workspace/executeCommand', { command: 'scimAgents.serverInfo', arguments: [] });
    assert.ok(info.files >= 4);
  });
});

describe('rule help', () => {
  it('offers "Show help for rule" as a code action only to a client that has the command', async () => {
    const root = tempWorkspace({ 'lonely.agent.yaml': 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: lonely\n' });
    const uri = (c: LspClient) => c.uri('lonely.agent.yaml');
    const actionsOf = async (c: LspClient) => {
      const ds = await c.diagnostics(uri(c), (d) => d.some((x) => x.code === 'owner-missing'), 'owner-missing');
      const d = ds.find((x) => x.code === 'owner-missing')!;
      return c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(c) }, range: d.range, context: { diagnostics: [d] } });
    };
    const withHelp = await LspClient.start(root, { initializationOptions: { ruleHelpCommand: 'test.showRuleHelp' } });
    const without = await LspClient.start(root);
    try {
      const help = (await actionsOf(withHelp)).find((a) => /Show help for rule owner-missing/.test(a.title));
      assert.ok(help, 'the help action');
      assert.deepEqual(help.command, { title: 'Show help for rule owner-missing', command: 'test.showRuleHelp', arguments: ['owner-missing'] });
      const plain = await actionsOf(without);
      assert.ok(
        plain.some((a) => /Add an owner/.test(a.title)),
        'the fix is still there',
      );
      assert.ok(!plain.some((a) => /Show help/.test(a.title)), 'no command the client does not have');
    } finally {
      await withHelp.stop();
      await without.stop();
      removeWorkspace(root);
    }
  });
});

async function waitStatus(client: LspClient, uri: string) {
  await client.waitFor('scimAgents/status', () => client.statuses.some((s) => s.uri === uri));
  return client.statuses.find((s) => s.uri === uri)!;
}
