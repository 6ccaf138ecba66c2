// scimAgents.import over the protocol (what the VS Code command calls): writes the manifests into
// the folder given, lints clean there, is idempotent, and is refused in an untrusted workspace.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { repoPath } from '../helpers/repo';
import { runIn } from '../helpers/cli';

const TOKEN = 'sbx-lsp-import-token-5d2e';

describe('scimAgents.import over LSP', () => {
  let sandbox: TestSandbox;
  let root: string;
  let client: LspClient;
  before(async () => {
    sandbox = await withSandbox({ token: TOKEN });
    const applied = await runIn(
      path.dirname(repoPath('examples')),
      [
        'apply',
        'examples/assistant-platform.agents.yaml',
        'examples/mcp-server.agent.yaml',
        'examples/support-agent.agent.yaml',
        '--endpoint',
        sandbox.baseUrl,
        '--yes',
      ],
      { SCIM_AGENTS_TOKEN: TOKEN },
    );
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    root = tempWorkspace({});
    client = await LspClient.start(root, { initializationOptions: { workspaceTrusted: true } });
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
    await sandbox.dispose();
  });

  it('imports into the folder; a second run changes nothing', async () => {
    const folder = pathToFileURL(path.join(root, 'imported')).toString();
    const result = await client.request<{ files: { uri: string; status: string }[]; counts: Record<string, number> }>('workspace/executeCommand', {
      command: 'scimAgents.import',
      arguments: [{ folder, endpoint: sandbox.baseUrl, token: TOKEN }],
    });
    assert.deepEqual(result.counts, { Agent: 3, AgenticApplication: 1 });
    assert.deepEqual(
      result.files.map((f) => [path.basename(new URL(f.uri).pathname), f.status]),
      [
        ['assistant-platform.agents.yaml', 'created'],
        ['knowledge-retriever.agent.yaml', 'created'],
      ],
    );
    const written = fs.readFileSync(path.join(root, 'imported', 'assistant-platform.agents.yaml'), 'utf8');
    assert.match(written, /value: agent:support-triage/);
    assert.ok(!written.includes(TOKEN));
    const lint = await runIn(path.join(root, 'imported'), ['lint', '--format', 'json']);
    assert.deepEqual(JSON.parse(lint.stdout), []);
    const again = await client.request<{ files: { status: string }[] }>('workspace/executeCommand', {
      command: 'scimAgents.import',
      arguments: [{ folder, endpoint: sandbox.baseUrl, token: TOKEN }],
    });
    assert.deepEqual(
      again.files.map((f) => f.status),
      ['unchanged', 'unchanged'],
    );
  });

  it('is refused in an untrusted workspace; nothing is written', async () => {
    const untrusted = await LspClient.start(root, { initializationOptions: { workspaceTrusted: false } });
    try {
      await assert.rejects(
        untrusted.request('workspace/executeCommand', {
          command: 'scimAgents.import',
          arguments: [{ folder: pathToFileURL(path.join(root, 'x')).toString(), endpoint: sandbox.baseUrl, token: TOKEN }],
        }),
        /not trusted/,
      );
      assert.equal(fs.existsSync(path.join(root, 'x')), false);
    } finally {
      await untrusted.stop();
    }
  });
});
