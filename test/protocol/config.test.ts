// .scim-agents.yaml in the language server: the nearest file per manifest (nested folders and
// several workspace folders each get their own), re-lint when a configuration changes (on disk
// and as typed), and the configuration file's own problems as its diagnostics.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const oneOwner = (name: string) => `schemas: [${AGENT}]\nname: ${name}\nsubject: ${name}\nowners:\n  - value: user:alice\n`;
const codes = (ds: { code?: string | number }[]) => ds.map((d) => String(d.code)).sort();

describe('project configuration in the language server', () => {
  let root: string;
  let second: string;
  let client: LspClient;
  before(async () => {
    root = tempWorkspace({
      '.scim-agents.yaml': 'policies:\n  minOwners: 2\n',
      'a.agent.yaml': oneOwner('a'),
      'team/.scim-agents.yaml': 'policies:\n  requiredAttributes:\n    Agent: [description]\n',
      'team/b.agent.yaml': oneOwner('b'),
    });
    second = tempWorkspace({ 'c.agent.yaml': oneOwner('c') });
    client = await LspClient.start(root, { extraFolders: [second] });
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
    removeWorkspace(second);
  });

  it("each manifest gets its nearest file; another workspace folder does not see this one's", async () => {
    assert.deepEqual(codes(await client.diagnostics(client.uri('a.agent.yaml'), (ds) => ds.length > 0)), ['policy-min-owners']);
    assert.deepEqual(codes(await client.diagnostics(client.uri('team/b.agent.yaml'), (ds) => ds.length > 0)), ['policy-required-attributes']);
    const c = pathUri(second, 'c.agent.yaml');
    await client.diagnostics(c, () => true, 'c published');
    assert.deepEqual(codes(client.latest(c)!.diagnostics), []);
  });

  it('a changed configuration file on disk re-lints every manifest', async () => {
    fs.writeFileSync(path.join(root, '.scim-agents.yaml'), 'rules:\n  policy-min-owners: warning\npolicies:\n  minOwners: 3\n');
    void client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: client.uri('.scim-agents.yaml'), type: 2 }] });
    const ds = await client.diagnostics(client.uri('a.agent.yaml'), (d) => d.some((x) => /at least 3/.test(String(x.message))), 'minOwners 3');
    assert.equal(ds[0]!.severity, 2, "warning, from the file's rules");
  });

  it('a configuration file being edited: its problems are its diagnostics, with locations; manifests follow', async () => {
    const uri = client.uri('team/.scim-agents.yaml');
    void client.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: 'policies:\n  requiredAttributes:\n    Agent: [description]\n  minOwners: lots\n' },
    });
    const ds = await client.diagnostics(uri, (d) => d.length > 0, 'config problems');
    assert.equal(ds[0]!.code, 'config-invalid');
    assert.deepEqual(ds[0]!.range.start, { line: 3, character: 13 });
    assert.equal(
      client.published.has(client.uri('team/.scim-agents.yaml')) && client.statuses.every((s) => !s.uri.endsWith('.scim-agents.yaml')),
      true,
      'never linted as a manifest',
    );
    void client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: 'policies:\n  minOwners: 2\n' }],
    });
    await client.diagnostics(uri, (d) => d.length === 0, 'config problems gone');
    assert.deepEqual(codes(await client.diagnostics(client.uri('team/b.agent.yaml'), (d) => d.some((x) => x.code === 'policy-min-owners'))), [
      'policy-min-owners',
    ]);
  });
});

function pathUri(dir: string, rel: string): string {
  return pathToFileURL(path.join(dir, rel)).toString();
}
