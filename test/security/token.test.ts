// The token never leaves its store: the CLI (plan, apply, deprovision, serve, and failures)
// runs as a child process with a marker token against the sandbox; the marker must not appear
// in any output or in any file written under the working or data directories (except the
// sandbox's own 0600 token file, which is the designed store).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { APP_YAML, agentsYaml } from '../faults/scenarios';

const CLI = path.resolve(__dirname, '..', '..', 'cli.js');
const MARKER = 'tok-MARKER-7d3f9a1c2b';

interface Run {
  code: number | null;
  out: string;
}

function cli(args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

describe('the token never reaches output or files', () => {
  let sandbox: TestSandbox;
  let cwd: string;
  const outputs: string[] = [];

  before(async () => {
    sandbox = await withSandbox({ token: MARKER });
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-sec-'));
    fs.writeFileSync(path.join(cwd, 'agents.agents.yaml'), agentsYaml());
    fs.writeFileSync(path.join(cwd, 'suite.agent.yaml'), APP_YAML);
  });
  after(async () => {
    await sandbox.dispose();
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  test('plan, apply, deprovision (and a re-plan) print no token', async () => {
    const env = { SCIM_AGENTS_TOKEN: MARKER };
    const endpoint = ['--endpoint', sandbox.baseUrl];
    for (const args of [
      ['plan', '.', ...endpoint, '--format', 'json'],
      ['apply', '.', ...endpoint, '--yes'],
      ['plan', '.', ...endpoint],
      ['deprovision', '.', ...endpoint, '--yes'],
      ['deprovision', '.', ...endpoint, '--yes', '--delete'],
    ]) {
      const run = await cli(args, cwd, env);
      assert.ok(run.code === 0 || run.code === 2, `${args[0]}: ${run.out}`);
      outputs.push(run.out);
    }
    assert.match(outputs[1]!, /applied/);
    for (const o of outputs) assert.ok(!o.includes(MARKER), `token in output:\n${o}`);
  });

  test('failures print no token either: rejected token, unreachable endpoint, refused http', async () => {
    const wrong = 'tok-WRONG-MARKER-55e0';
    const rejected = await cli(['plan', '.', '--endpoint', sandbox.baseUrl], cwd, { SCIM_AGENTS_TOKEN: wrong });
    assert.notEqual(rejected.code, 0, rejected.out);
    assert.match(rejected.out, /401|unauthori[sz]ed|token/i);
    assert.ok(!rejected.out.includes(wrong), rejected.out);
    const closed = await cli(['apply', '.', '--endpoint', 'http://127.0.0.1:1/scim/v2', '--yes', '--timeout', '2'], cwd, { SCIM_AGENTS_TOKEN: MARKER });
    assert.notEqual(closed.code, 0);
    assert.ok(!closed.out.includes(MARKER), closed.out);
    const flag = await cli(['plan', '.', '--endpoint', sandbox.baseUrl, `--token=${MARKER}`], cwd, {});
    assert.equal(flag.code, 2);
    assert.ok(!flag.out.includes(MARKER), `a --token flag is refused without echoing it:\n${flag.out}`);
    outputs.push(rejected.out, closed.out, flag.out);
  });

  test('serve --token-env prints no token, logs none, and writes no token file', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-sec-data-'));
    try {
      const child = spawn(process.execPath, [CLI, 'serve', '--data', data, '--port', '0', '--token-env', 'SEC_TOKEN'], {
        cwd,
        env: { ...process.env, SEC_TOKEN: MARKER },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 15_000);
        const onData = (d: Buffer) => {
          out += d;
          const m = /(http:\/\/127\.0\.0\.1:\d+\/scim\/v2)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
      });
      // requests with the right token, a wrong one and none: each is logged, none leaks
      for (const auth of [`Bearer ${MARKER}`, `Bearer ${MARKER}x`, undefined]) {
        const res = await fetch(`${url}/Users`, { headers: auth ? { Authorization: auth } : {} });
        await res.text();
        assert.equal(res.status, auth === `Bearer ${MARKER}` ? 200 : 401);
      }
      const r = await fetch(`${url}/Agents`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${MARKER}`, 'Content-Type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'], name: MARKER }),
      });
      await r.text();
      child.kill('SIGTERM');
      await exited;
      assert.ok(!out.includes(MARKER), `serve output:\n${out}`);
      assert.ok(!fs.existsSync(path.join(data, 'token')), 'no token file when the token comes from the environment');
      // data files hold the agent named with the marker (data), but no header value is stored:
      // a file may contain the marker only as that resource's name.
      for (const f of filesUnder(data)) {
        const text = fs.readFileSync(f, 'utf8');
        assert.ok(!text.includes(`Bearer ${MARKER}`) && !/"token"\s*:/.test(text), `${f} holds no token`);
      }
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  test('no file under the working directory or the sandbox data directory holds the token', () => {
    const leaks = [...filesUnder(cwd), ...filesUnder(sandbox.dataDir)].filter((f) => path.basename(f) !== 'token' && fs.readFileSync(f).includes(MARKER));
    assert.deepEqual(leaks, []);
    for (const o of outputs) assert.ok(!o.includes(MARKER));
  });

  test('a generated sandbox token is stored 0600 and only there', async () => {
    const own = await withSandbox();
    try {
      const tokenFile = path.join(own.dataDir, 'token');
      assert.equal(fs.statSync(tokenFile).mode & 0o777, 0o600);
      assert.equal(fs.readFileSync(tokenFile, 'utf8').trim(), own.token);
      const res = await own.request('GET', '/Users');
      assert.equal(res.status, 200);
      const leaks = filesUnder(own.dataDir).filter((f) => f !== tokenFile && fs.readFileSync(f).includes(own.token));
      assert.deepEqual(leaks, []);
    } finally {
      await own.dispose();
    }
  });
});
