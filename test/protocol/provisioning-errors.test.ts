// Failures a user can cause, as the language server reports them (issue 11.9): one message in
// their words (no internal command id, no request URL, short enough not to be cut off) with a
// kind the client turns into the action that fixes it, and no stack trace in the log. Also the
// token check that runs before a token is stored (issue 11.3).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { makeLoopbackTlsFiles } from '../helpers/certs';
import { unusedLoopbackPort } from '../helpers/ports';
import type { TestSandbox } from '../helpers/sandbox';
import { trustedAgainstSandbox, type LspClient } from './lspClient';

const BOT = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: err-bot
name: err-bot
owners:
  - value: user:alice
`;

interface Failure {
  message: string;
  code: number;
  data?: { kind?: string };
}

describe("provisioning failures in the user's words", () => {
  let sandbox: TestSandbox;
  let client: LspClient;
  const failure = async (command: string, args: Record<string, unknown>): Promise<Failure> => {
    try {
      await client.request('workspace/executeCommand', { command, arguments: [{ uri: client.uri('bot.agent.yaml'), ...args }] });
    } catch (e) {
      return e as Failure;
    }
    throw new Error(`${command} succeeded`);
  };

  let env: Awaited<ReturnType<typeof trustedAgainstSandbox>>;
  before(async () => {
    env = await trustedAgainstSandbox(BOT);
    ({ client, sandbox } = env);
  });
  after(() => env.dispose());

  test('a stopped endpoint: "does not answer", kind unreachable, no command id or URL', async () => {
    const port = await unusedLoopbackPort();
    const f = await failure('scimAgents.plan', { token: sandbox.token, endpoint: `http://127.0.0.1:${port}/scim/v2` });
    assert.equal(f.message, `The SCIM endpoint 127.0.0.1:${port} does not answer (connection refused). Start it, or check SCIMAgents.endpoint.url.`);
    assert.equal(f.data?.kind, 'unreachable');
  });

  test('a wrong token: "refused the token", kind auth', async () => {
    const f = await failure('scimAgents.plan', { token: 'not-the-token-0000' });
    assert.match(f.message, /^The SCIM endpoint 127\.0\.0\.1:\d+ refused the token \(401 Unauthorized\)\. Set the right one with "Set Endpoint Token"\.$/);
    assert.equal(f.data?.kind, 'auth');
    const inventory = await client.request('scimAgents/inventory', { server: { token: 'not-the-token-0000' } }).catch((e: Failure) => e);
    assert.equal((inventory as Failure).data?.kind, 'auth', 'governance says the same');
  });

  test('verifyToken accepts the sandbox token and refuses a wrong one before anything is stored', async () => {
    const ok = await client.request<{ ok: boolean; endpointHost: string }>('workspace/executeCommand', {
      command: 'scimAgents.verifyToken',
      arguments: [{ token: sandbox.token }],
    });
    assert.deepEqual(ok, { ok: true, endpointHost: new URL(sandbox.baseUrl).host });
    const wrong = await failure('scimAgents.verifyToken', { token: 'wrong-token-1234' });
    assert.equal(wrong.data?.kind, 'auth');
    assert.ok(!wrong.message.includes('wrong-token-1234'));
  });

  test('an untrusted certificate: kind tls, says how to trust its CA', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-tls-'));
    makeLoopbackTlsFiles(dir);
    const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) =>
      res.end('{}'),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const f = await failure('scimAgents.plan', { token: sandbox.token, endpoint: `https://127.0.0.1:${port}/scim/v2` });
      assert.equal(f.data?.kind, 'tls', f.message);
      assert.match(f.message, /^The TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(\w+\)\. Trust its CA with NODE_EXTRA_CA_CERTS/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the log carries no stack trace', async () => {
    await client.request('workspace/executeCommand', { command: 'scimAgents.serverInfo', arguments: [] });
    const log = client.logs.join('\n');
    assert.doesNotMatch(log, /\n\s+at |server\.js:\d+/, log.slice(0, 2000));
    assert.doesNotMatch(log, /scimAgents\.plan failed/);
  });
});
