// Where the token may go: the endpoint setting is machine-scoped (a workspace cannot redirect
// it), untrusted workspaces cannot change it, the language server does not read an endpoint
// from settings at all, plain http:// only to loopback, TLS verified (a custom CA through
// NODE_EXTRA_CA_CERTS), and the sandbox binds loopback and rejects missing or wrong tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../server/src/sandbox';
import { readSettings } from '../../server/src/lsp/settings';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { APP_YAML, agentsYaml } from '../faults/scenarios';
import { repoPath } from '../helpers/repo';
import { makeLoopbackTlsFiles } from '../helpers/certs';

const CLI = path.resolve(__dirname, '..', '..', 'cli.js');
const TOKEN = 'tok-endpoint-test-1f2e3d';

function cli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, SCIM_AGENTS_TOKEN: TOKEN, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('endpoint and transport security', () => {
  let sandbox: TestSandbox;
  let cwd: string;
  let tls: https.Server;
  let tlsUrl: string;
  let caFile: string;

  before(async () => {
    sandbox = await withSandbox({ token: TOKEN });
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-endpoint-'));
    fs.writeFileSync(path.join(cwd, 'agents.agents.yaml'), agentsYaml());
    fs.writeFileSync(path.join(cwd, 'suite.agent.yaml'), APP_YAML);
    // A self-signed certificate for 127.0.0.1, made now; an https reverse proxy to the sandbox.
    makeLoopbackTlsFiles(cwd);
    caFile = path.join(cwd, 'cert.pem');
    const upstream = new URL(sandbox.baseUrl);
    tls = https.createServer({ key: fs.readFileSync(path.join(cwd, 'key.pem')), cert: fs.readFileSync(caFile) }, (req, res) => {
      const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(out);
    });
    await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
    tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/scim/v2`;
  });
  after(async () => {
    tls.closeAllConnections();
    await new Promise<void>((resolve) => tls.close(() => resolve()));
    await sandbox.dispose();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  test('the endpoint settings are machine-scoped and restricted in untrusted workspaces', () => {
    const pkg = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties;
    assert.equal(props['SCIMAgents.endpoint.url'].scope, 'machine');
    assert.equal(props['SCIMAgents.endpoint.allowInsecureHttp'].scope, 'machine');
    assert.equal(props['SCIMAgents.endpoint.allowInsecureHttp'].default, false);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    for (const key of ['SCIMAgents.endpoint.url', 'SCIMAgents.endpoint.allowInsecureHttp'])
      assert.ok(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.includes(key), key);
  });

  test('the language server takes no endpoint from settings a workspace could send', () => {
    const settings = readSettings({ endpoint: { url: 'https://attacker.example/scim/v2', allowInsecureHttp: true }, profile: 'auto' }) as unknown as Record<
      string,
      unknown
    >;
    assert.deepEqual(Object.keys(settings).sort(), ['baselineMode', 'include', 'inlayHints', 'orderKeys', 'profile', 'rules']);
    assert.ok(!JSON.stringify(settings).includes('attacker'));
  });

  test('plain http:// to a non-loopback host is refused unless allowed; loopback is fine', async () => {
    for (const url of ['http://scim.example.com/scim/v2', 'http://10.0.0.5/scim/v2', 'http://127.0.0.1.nip.io/scim/v2']) {
      const run = await cli(['plan', '.', '--endpoint', url], cwd);
      assert.equal(run.code, 2, run.out);
      assert.match(run.out, /plain http:\/\/.*--allow-insecure-http/);
    }
    const creds = await cli(['plan', '.', '--endpoint', `https://user:${TOKEN}@scim.example.com/scim/v2`], cwd);
    assert.equal(creds.code, 2);
    assert.match(creds.out, /must not carry credentials/);
    assert.ok(!creds.out.includes(TOKEN));
    const loopback = await cli(['plan', '.', '--endpoint', sandbox.baseUrl, '--detailed-exitcode'], cwd);
    assert.equal(loopback.code, 2, loopback.out); // changes to apply: reached the server
    assert.match(loopback.out, /4 to create/);
  });

  test('TLS is verified: a self-signed server is refused, then accepted with its CA', async () => {
    const refused = await cli(['plan', '.', '--endpoint', tlsUrl, '--timeout', '5'], cwd);
    assert.notEqual(refused.code, 0, refused.out);
    assert.doesNotMatch(refused.out, /to create/);
    assert.match(refused.out, /certificate|self[- ]signed|TLS|network|fetch failed/i);
    assert.ok(!refused.out.includes(TOKEN));
    const trusted = await cli(['plan', '.', '--endpoint', tlsUrl, '--timeout', '5'], cwd, { NODE_EXTRA_CA_CERTS: caFile });
    assert.equal(trusted.code, 0, trusted.out);
    assert.match(trusted.out, /4 to create/);
  });

  test('the sandbox binds loopback by default and refuses other addresses unless allowed', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-bind-'));
    try {
      await assert.rejects(startSandbox({ dataDir: data, host: '0.0.0.0', port: 0 }), /loopback only/);
      const s = await startSandbox({ dataDir: data, port: 0 });
      try {
        assert.equal(new URL(s.baseUrl).hostname, '127.0.0.1');
      } finally {
        await s.close();
      }
      const serve = await cli(['serve', '--data', data, '--port', '0', '--host', '0.0.0.0'], cwd);
      assert.equal(serve.code, 2, serve.out);
      assert.match(serve.out, /allow-remote|loopback/);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  test('the sandbox rejects missing, wrong, malformed and non-bearer credentials', async () => {
    const url = `${sandbox.baseUrl}/Agents`;
    const cases: Record<string, Record<string, string>> = {
      missing: {},
      wrong: { Authorization: `Bearer ${TOKEN}x` },
      prefix: { Authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      empty: { Authorization: 'Bearer ' },
      basic: { Authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` },
      lowercase: { Authorization: `bearer${TOKEN}` },
    };
    for (const [name, headers] of Object.entries(cases)) {
      const res = await fetch(url, { headers });
      const text = await res.text();
      assert.equal(res.status, 401, `${name}: ${text}`);
      assert.ok(!text.includes(TOKEN), `${name}: the answer does not echo the token`);
    }
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await fetch(`${url}/x`.replace('/x', method === 'POST' ? '' : '/x'), {
        method,
        headers: { 'Content-Type': 'application/scim+json' },
        body: method === 'DELETE' ? undefined : '{}',
      });
      await res.text();
      assert.equal(res.status, 401, `${method} without a token`);
    }
    const ok = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await ok.text();
    assert.equal(ok.status, 200);
  });
});
