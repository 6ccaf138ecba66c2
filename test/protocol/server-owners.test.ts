// Owners against the connected server (issue 11.5): with no Users declared in the workspace,
// lint alone cannot know whether `user:nobody` exists; scimAgents.refreshDirectory lists the
// sandbox's Users and Groups, publishes owner-unresolved as its own diagnostic (source
// scim-agents-server, the finding the plan gates on), and `user:` completion offers the
// server's users, and hover says whether the server has the owner. Nothing is fetched while typing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CompletionList } from 'vscode-languageserver-protocol';
import { trustedSuite } from './lspClient';

const BOT = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: owners-bot
name: owners-bot
owners:
  - value: user:alice
  - value: user:nobody
  - value: 
`;

describe('owners checked against the server', () => {
  const suite = trustedSuite(BOT);

  test('an owner the server does not have becomes a server diagnostic; completion offers the server users', async () => {
    const { client, sandbox } = suite;
    const uri = client.uri('bot.agent.yaml');
    client.open(uri, BOT);
    const before = await client.diagnostics(uri, () => true);
    assert.equal(before.filter((d) => d.code === 'owner-unresolved').length, 0, 'lint alone cannot know');
    const noServer = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 11 } });
    assert.ok(!noServer.items.some((i) => i.label === 'user:bob'));

    const result = await client.request<{ users: number; groups: number; problems: number; complete: boolean }>('workspace/executeCommand', {
      command: 'scimAgents.refreshDirectory',
      arguments: [{ token: sandbox.token }],
    });
    assert.equal(result.complete, true);
    assert.ok(result.users >= 3 && result.groups >= 1, JSON.stringify(result));
    assert.equal(result.problems, 1);
    const after = await client.diagnostics(uri, (ds) => ds.some((d) => d.source === 'scim-agents-server'));
    const unresolved = after.filter((d) => d.source === 'scim-agents-server');
    assert.equal(unresolved.length, 1);
    assert.equal(unresolved[0]!.code, 'owner-unresolved');
    assert.equal(unresolved[0]!.range.start.line, 5, 'on user:nobody');

    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 11 } });
    for (const name of ['user:alice', 'user:bob', 'user:carol'])
      assert.ok(
        list.items.some((i) => i.label === name),
        `${name} offered`,
      );
    assert.ok(
      list.items.some((i) => i.label.startsWith('group:')),
      'groups too',
    );

    const hover = async (line: number) =>
      (await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line, character: 16 } })).contents
        .value;
    assert.match(await hover(4), /`user:alice` is a user on `127\.0\.0\.1:\d+`/);
    assert.match(await hover(5), /`user:nobody` is not a user on/);
  });
});
