// `scim-agents lsp --stdio`: the CLI's way to the language server, for editors other than VS Code.
// The CLI's bundle does not carry the server: it loads dist/server.js (esbuild.mjs), so this is the
// one test that the file it loads is there and is the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const CLI = path.resolve(__dirname, '..', '..', 'cli.js');

test('scim-agents lsp --stdio answers initialize and publishes diagnostics', async (t) => {
  const root = tempWorkspace({});
  t.after(() => removeWorkspace(root));
  const client = await LspClient.start(root, { args: [CLI, 'lsp', '--stdio'] });
  t.after(() => client.stop());
  assert.ok(client.capabilities.hoverProvider, JSON.stringify(client.capabilities));
  const uri = client.uri('helper.agent.yaml');
  client.open(uri, 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: helper\n');
  const ds = await client.diagnostics(uri, (d) => d.length > 0);
  assert.ok(
    ds.some((d) => d.code === 'owner-missing'),
    JSON.stringify(ds),
  );
});
