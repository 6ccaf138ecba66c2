// One publisher, several sources (lsp/diagnostics/publisher.ts): a file's lint diagnostics and the
// server-backed owner checks (source scim-agents-server) are published together, each source
// replacing only its own list; when the server's check clears (the owner now exists on the
// server), the file is published again with lint's list alone, for the same document version.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SERVER_COMMANDS, type RefreshDirectoryResult } from '../../server/src/lsp/protocol';
import { trustedSuite } from './lspClient';

const BOT = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: sources-bot
name: sources-bot
DisplayName: Sources Bot
owners:
  - value: user:alice
  - value: user:nobody
`;

const SERVER_SOURCE = 'scim-agents-server';

describe('diagnostics of several sources', () => {
  const suite = trustedSuite(BOT);

  test('lint and the server check merge; clearing the server check republishes lint alone', async () => {
    const { client, sandbox } = suite;
    const uri = client.uri('bot.agent.yaml');
    client.open(uri, BOT);
    const lint = await client.diagnostics(uri, (ds, p) => p.version === 1 && ds.some((d) => d.code === 'attribute-case'), 'lint of the open file');
    assert.deepEqual(
      lint.map((d) => d.code),
      ['attribute-case'],
    );
    const refresh = () =>
      client.request<RefreshDirectoryResult>('workspace/executeCommand', { command: SERVER_COMMANDS.refreshDirectory, arguments: [{ token: sandbox.token }] });

    assert.equal((await refresh()).problems, 1);
    const merged = await client.diagnostics(uri, (ds) => ds.some((d) => d.source === SERVER_SOURCE), 'the server check');
    assert.deepEqual(
      merged.map((d) => `${d.source === SERVER_SOURCE ? 'server' : 'lint'}:${d.code}@${d.range.start.line}`),
      ['lint:attribute-case@3', 'server:owner-unresolved@6'],
    );
    assert.equal(client.latest(uri)!.version, 1, 'published for the version lint computed its list on');

    const publications = client.published.get(uri)!.length;
    const created = await sandbox.request('POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'nobody' });
    assert.equal(created.status, 201);
    assert.equal((await refresh()).problems, 0);
    const cleared = await client.diagnostics(
      uri,
      (ds) => client.published.get(uri)!.length > publications && !ds.some((d) => d.source === SERVER_SOURCE),
      'the cleared check',
    );
    assert.deepEqual(cleared, lint, "lint's list, as it was");
    assert.equal(client.latest(uri)!.version, 1);
  });
});
