// Where the language server sends the token (issue 12.1): only to an endpoint the user chose
// outside the workspace's files. An editor that answers workspace/configuration from project
// files (neoconf, coc, Helix, Zed) must not be able to redirect it: a recording endpoint (a real
// HTTP listener on 127.0.0.1 that records every request) named there receives nothing. The
// server's environment, the client's machine setting (initializationOptions and
// scimAgents/didChangeEndpoint) and a command's argument do work, against the real sandbox. A
// client that does not say the workspace is trusted gets Restricted Mode.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { LspClient, removeWorkspace, tempWorkspace } from './lspClient';

const BOT = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: trust-bot
name: trust-bot
owners:
  - value: user:alice
`;

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
}

/** A real listener that records whatever reaches it and answers 503. */
async function recordingEndpoint(): Promise<{ url: string; requests: Recorded[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
    req.resume();
    res.writeHead(503, { 'content-type': 'text/plain' }).end('recorded');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What a project-file settings source would answer: the attacker's endpoint in every spelling. */
function workspaceSettings(url: string): Record<string, unknown> {
  return { endpoint: { url, allowInsecureHttp: true }, 'endpoint.url': url, 'endpoint.allowInsecureHttp': true };
}

describe('the language server sends the token only where the user chose', () => {
  const token = `tok-trust-${randomBytes(12).toString('hex')}`;
  let sandbox: TestSandbox;
  let root: string;
  const clients: LspClient[] = [];
  const recorders: Awaited<ReturnType<typeof recordingEndpoint>>[] = [];
  /** A fresh recorder per test: a plan that failed may still have lookups in flight. */
  async function recorderForTest() {
    const r = await recordingEndpoint();
    recorders.push(r);
    return r;
  }

  async function start(options: Parameters<typeof LspClient.start>[1]): Promise<LspClient> {
    const client = await LspClient.start(root, options);
    clients.push(client);
    await client.waitFor('the workspace scan', () => client.published.has(client.uri('bot.agent.yaml')));
    return client;
  }
  const plan = (client: LspClient, args: Record<string, unknown> = {}) =>
    client.request<{ endpointHost: string; counts: { create: number } }>('workspace/executeCommand', {
      command: 'scimAgents.plan',
      arguments: [{ uri: client.uri('bot.agent.yaml'), ...args }],
    });
  /** An environment without any endpoint or token inherited from the machine running the tests. */
  const env = (extra: Record<string, string>): NodeJS.ProcessEnv => {
    const base = { ...process.env };
    delete base.SCIM_AGENTS_ENDPOINT;
    delete base.SCIM_AGENTS_TOKEN;
    delete base.SCIM_AGENTS_ALLOW_INSECURE_HTTP;
    return { ...base, ...extra };
  };

  before(async () => {
    sandbox = await withSandbox({ token });
    root = tempWorkspace({ 'bot.agent.yaml': BOT });
  });
  after(async () => {
    for (const c of clients) await c.stop();
    for (const r of recorders) await r.close();
    await sandbox.dispose();
    removeWorkspace(root);
  });

  test('an endpoint named by workspace/configuration gets no request and no token; the environment endpoint is used', async () => {
    const recorder = await recorderForTest();
    const client = await start({
      settings: workspaceSettings(recorder.url),
      initializationOptions: { workspaceTrusted: true },
      env: env({ SCIM_AGENTS_TOKEN: token, SCIM_AGENTS_ENDPOINT: sandbox.baseUrl }),
    });
    const result = await plan(client);
    assert.equal(result.endpointHost, new URL(sandbox.baseUrl).host, 'the plan went to the endpoint of the environment');
    assert.equal(result.counts.create, 1);
    const inventory = await client.request<{ inventory: { endpointHost?: string } }>('scimAgents/inventory', { server: {} });
    assert.equal(inventory.inventory.endpointHost, new URL(sandbox.baseUrl).host, 'governance too');
    // The workspace also tried to allow plain http:// to another host: still refused.
    await assert.rejects(plan(client, { endpoint: 'http://scim.example.com/scim/v2' }), /Refusing plain http:\/\//);
    assert.deepEqual(recorder.requests, [], 'the recording endpoint saw nothing');
  });

  test('a workspace/configuration endpoint is ignored even with nothing else configured', async () => {
    const recorder = await recorderForTest();
    const client = await start({
      settings: workspaceSettings(recorder.url),
      initializationOptions: { workspaceTrusted: true, endpoint: { url: sandbox.baseUrl } },
      env: env({}),
    });
    const result = await plan(client, { token });
    assert.equal(result.endpointHost, new URL(sandbox.baseUrl).host, "the client's machine setting wins");
    await client.setSettings(workspaceSettings(recorder.url)); // didChangeConfiguration carrying it again
    assert.equal((await plan(client, { token })).endpointHost, new URL(sandbox.baseUrl).host);
    assert.deepEqual(recorder.requests, []);
  });

  test("the client's machine setting, its change notification and a command argument are honoured", async () => {
    const recorder = await recorderForTest();
    const later = await recorderForTest();
    const client = await start({ initializationOptions: { workspaceTrusted: true, endpoint: { url: sandbox.baseUrl } }, env: env({}) });
    assert.equal((await plan(client, { token })).endpointHost, new URL(sandbox.baseUrl).host);
    // The user changed the machine setting: the next plan goes to the new endpoint.
    await client.conn.sendNotification('scimAgents/didChangeEndpoint', { url: recorder.url });
    await assert.rejects(plan(client, { token }));
    assert.ok(recorder.requests.length > 0, 'the machine setting moved the endpoint');
    assert.equal(recorder.requests[0]!.authorization, `Bearer ${token}`);
    // A command the user ran names its endpoint: that wins over the setting.
    await client.conn.sendNotification('scimAgents/didChangeEndpoint', { url: later.url });
    assert.equal((await plan(client, { token, endpoint: sandbox.baseUrl })).endpointHost, new URL(sandbox.baseUrl).host);
    assert.deepEqual(later.requests, []);
  });

  test('a client that says nothing about trust gets Restricted Mode: nothing is sent anywhere', async () => {
    const recorder = await recorderForTest();
    const client = await start({ settings: workspaceSettings(recorder.url), env: env({ SCIM_AGENTS_TOKEN: token, SCIM_AGENTS_ENDPOINT: recorder.url }) });
    await assert.rejects(plan(client), /not trusted/);
    await assert.rejects(client.request('scimAgents/inventory', { server: {} }), /not trusted/);
    const info = await client.request<{ workspaceTrusted: boolean }>('workspace/executeCommand', { command: 'scimAgents.serverInfo', arguments: [] });
    assert.equal(info.workspaceTrusted, false);
    assert.deepEqual(recorder.requests, []);
  });
});
