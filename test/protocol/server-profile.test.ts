// The `server` profile over LSP: the editor validates against what the configured endpoint (the
// scimmy peer) serves, from the schema cache; scimAgents.refreshSchemas fetches and revalidates.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startPeer, type RunningPeer } from '../helpers/peers';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const BOT = `schemas: [${AGENT}]\nname: bot\nowners:\n  - value: user:alice\nnickName: B\n`;
const codes = (ds: Diagnostic[]) => ds.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`);

describe('server profile over LSP', () => {
  let peer: RunningPeer;
  let root: string;
  let cache: string;
  const clients: LspClient[] = [];
  const previous = process.env.SCIM_AGENTS_CACHE_DIR;

  before(async () => {
    peer = await startPeer('scimmy');
    root = tempWorkspace({ 'bot.agent.yaml': BOT });
    cache = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-schema-cache-'));
    // The spawned language server inherits it: a cache of this test's own.
    process.env.SCIM_AGENTS_CACHE_DIR = cache;
  });
  after(async () => {
    for (const c of clients) await c.stop();
    await peer.stop();
    removeWorkspace(root);
    fs.rmSync(cache, { recursive: true, force: true });
    if (previous === undefined) delete process.env.SCIM_AGENTS_CACHE_DIR;
    else process.env.SCIM_AGENTS_CACHE_DIR = previous;
  });

  const start = async () => {
    const c = await LspClient.start(root, {
      settings: { profile: 'server' },
      initializationOptions: { workspaceTrusted: true, endpoint: { url: peer.baseUrl } },
    });
    clients.push(c);
    return c;
  };

  test('not fetched yet: said on the resource; refresh fetches, revalidates, and the cache serves the next start', async () => {
    const client = await start();
    const uri = client.uri('bot.agent.yaml');
    const before = await client.diagnostics(uri, (ds) => ds.some((d) => d.code === 'profile-unknown'), 'the unavailable server profile');
    assert.match(
      String(before.find((d) => d.code === 'profile-unknown')!.message),
      /have not been fetched yet \(fetch them with the scimAgents\.refreshSchemas command/,
    );

    const result = await client.request<{ endpoint: string; resourceTypes: string[] }>('workspace/executeCommand', {
      command: 'scimAgents.refreshSchemas',
      arguments: [{ token: peer.token }],
    });
    assert.ok(result.resourceTypes.includes('Agent'), result.resourceTypes.join());
    const after = await client.diagnostics(uri, (ds) => !ds.some((d) => d.code === 'profile-unknown'), 'validation against the served schemas');
    assert.deepEqual(codes(after), ['unknown-attribute@4:0']);
    assert.match(String(after[0]!.message), /the server will not keep it/);
    const cached = fs.readdirSync(path.join(cache, 'server-schemas'));
    assert.equal(cached.length, 1);
    assert.ok(!fs.readFileSync(path.join(cache, 'server-schemas', cached[0]!), 'utf8').includes(peer.token));

    const second = await start();
    const fromCache = await second.diagnostics(second.uri('bot.agent.yaml'), (ds) => ds.length > 0, 'diagnostics from the cached profile');
    assert.deepEqual(codes(fromCache), ['unknown-attribute@4:0']);
  });

  test('an untrusted workspace never fetches', async () => {
    const c = await LspClient.start(root, {
      settings: { profile: 'server' },
      initializationOptions: { workspaceTrusted: false, endpoint: { url: peer.baseUrl } },
    });
    clients.push(c);
    await assert.rejects(c.request('workspace/executeCommand', { command: 'scimAgents.refreshSchemas', arguments: [{ token: peer.token }] }), /not trusted/);
  });
});
