// The server offers exactly the protocol's server commands (server/src/lsp/protocol/commands.ts),
// each from its own registry: two servers started by one process would not share handlers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_COMMANDS, type ServerInfoResult } from '../../server/src/lsp/protocol';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

describe('server commands', () => {
  let root: string;
  let client: LspClient;
  before(async () => {
    root = tempWorkspace({ 'bot.agent.yaml': 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nexternalId: commands-bot\nname: commands-bot\n' });
    client = await LspClient.start(root);
    await client.waitFor('the workspace scan', () => client.published.has(client.uri('bot.agent.yaml')));
  });
  after(async () => {
    await client.stop();
    removeWorkspace(root);
  });

  test('initialize announces every server command of the protocol, and only those', async () => {
    const announced = client.capabilities.executeCommandProvider?.commands as string[] | undefined;
    assert.deepEqual([...(announced ?? [])].sort(), Object.values(SERVER_COMMANDS).sort());
    const info = await client.request<ServerInfoResult>('workspace/executeCommand', { command: SERVER_COMMANDS.serverInfo, arguments: [] });
    assert.equal(info.files, 1);
    assert.deepEqual(info.resources, { Agent: 1 });
    assert.equal(info.workspaceTrusted, false);
  });
});
