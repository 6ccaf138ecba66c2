// Token correlation: local JWT decoding and matching (iss, sub) against the workspace's agents,
// through the engine and `scim-agents whois-token` (token on standard input only).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../../server/src/cli/io';
import { runCli } from '../../server/src/cli/main';
import { buildInventory, correlateToken, decodeJwt, TokenError, type Correlation } from '../../server/src/governance';
import { WorkspaceIndex } from '../../server/src/workspace/index';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const APP = 'urn:ietf:params:scim:schemas:core:2.0:AgenticApplication';
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64(claims)}.${b64('not-a-real-signature')}`;

const FILES: Record<string, string> = {
  'apps.agents.yaml': `schemas: [${APP}]
name: support-app
oAuthConfiguration:
  - clientId: s-1
    issuerUri: https://idp.example.com
agents:
  - value: agent:triage
---
schemas: [${APP}]
name: partner-app
oAuthConfiguration:
  - clientId: p-1
    issuerUri: https://partner-idp.example.net
agents:
  - value: agent:partner-bot
`,
  'agents.agents.yaml': `schemas: [${AGENT}]
name: triage
owners: [{value: user:alice}]
subject: svc-triage
---
schemas: [${AGENT}]
name: partner-bot
owners: [{value: group:Partners}]
subject: svc-shared
---
schemas: [${AGENT}]
name: local-bot
owners: [{value: user:bob}]
subject: svc-local
---
schemas: [${AGENT}]
name: twin-a
owners: [{value: user:alice}]
subject: svc-twin
---
schemas: [${AGENT}]
name: twin-b
owners: [{value: user:bob}]
subject: svc-twin
`,
};

const index = new WorkspaceIndex();
for (const [rel, text] of Object.entries(FILES)) index.set(`file:///w/${rel}`, text);
const inventory = buildInventory(index);
const correlate = (claims: Record<string, unknown>): Correlation => correlateToken(inventory, decodeJwt(jwt(claims)));

describe('token correlation', () => {
  test('sub and iss both match: the agent, its owners and its application', () => {
    const c = correlate({ sub: 'svc-triage', iss: 'https://idp.example.com', exp: 4102444800 });
    assert.equal(c.verdict, 'matched');
    assert.deepEqual(
      c.matches.map((m) => [m.name, m.issuerCheck]),
      [['triage', 'match']],
    );
    assert.deepEqual(
      c.matches[0]!.owners.map((o) => o.reference),
      ['user:alice'],
    );
    assert.deepEqual(
      c.matches[0]!.applications.map((a) => a.label),
      ['AgenticApplication "support-app"'],
    );
    assert.deepEqual(c.warnings, []);
    assert.equal(c.token.expired, false);
    assert.equal(
      c.summary,
      'The token (sub "svc-triage", iss "https://idp.example.com") belongs to Agent "triage", owned by user:alice, in AgenticApplication "support-app".',
    );
  });

  test('the right sub from the wrong issuer is an issuer mismatch, not a match', () => {
    const c = correlate({ sub: 'svc-triage', iss: 'https://evil.example.org' });
    assert.equal(c.verdict, 'issuer-mismatch');
    assert.deepEqual(c.matches, []);
    assert.deepEqual(
      c.issuerMismatches.map((m) => m.name),
      ['triage'],
    );
    assert.match(c.summary, /belongs to no governed identity: Agent "triage" has this subject but another issuer \(https:\/\/idp\.example\.com\)/);
  });

  test('a token without iss matches on sub, with a warning that it is not issuer-qualified', () => {
    const c = correlate({ sub: 'svc-triage' });
    assert.equal(c.verdict, 'matched');
    assert.equal(c.matches[0]!.issuerCheck, 'token-has-no-iss');
    assert.match(c.warnings.join('\n'), /no "iss" claim.*not issuer-qualified/);
  });

  test('an agent whose issuer the manifests do not know matches on sub alone, and says so', () => {
    const c = correlate({ sub: 'svc-local', iss: 'https://idp.example.com' });
    assert.equal(c.verdict, 'matched');
    assert.equal(c.matches[0]!.issuerCheck, 'unknown');
    assert.match(c.warnings.join('\n'), /do not say which issuer signs Agent "local-bot"/);
  });

  test('a shared subject yields every agent with a warning', () => {
    const c = correlate({ sub: 'svc-twin' });
    assert.equal(c.verdict, 'matched');
    assert.deepEqual(
      c.matches.map((m) => m.name),
      ['twin-a', 'twin-b'],
    );
    assert.match(c.warnings[0]!, /2 identities share the subject "svc-twin"/);
    assert.match(c.summary, /matches 2 agents that share this subject/);
  });

  test('no match says plainly that the token belongs to no governed identity', () => {
    const c = correlate({ sub: 'someone-else', iss: 'https://idp.example.com' });
    assert.equal(c.verdict, 'no-match');
    assert.equal(c.summary, 'The token (sub "someone-else", iss "https://idp.example.com") belongs to no governed identity in the workspace.');
  });

  test('subject matching is exact (caseExact)', () => {
    assert.equal(correlate({ sub: 'SVC-TRIAGE', iss: 'https://idp.example.com' }).verdict, 'no-match');
  });
});

describe('JWT decoding', () => {
  const rejects = (token: string, message: RegExp, part?: string) =>
    assert.throws(
      () => decodeJwt(token),
      (e: unknown) => {
        assert.ok(e instanceof TokenError);
        assert.match(e.message, message);
        if (part) assert.equal(e.part, part);
        assert.ok(!e.message.includes(token) || token.length < 4, 'the message never contains the token');
        return true;
      },
    );

  test('malformed tokens get a clear message naming the part', () => {
    rejects('', /empty/, 'token');
    rejects('only.two', /3 dot-separated parts.*this has 2/, 'token');
    rejects('a.b.c.d.e', /encrypted JWT \(JWE/, 'token');
    rejects(`${b64({ alg: 'none' })}.pay!oad.sig`, /part 2 \(payload\) is not base64url/, 'payload');
    rejects(`${b64('{not json')}.${b64({ sub: 'x' })}.sig`, /part 1 \(header\) is not JSON/, 'header');
    rejects(`${b64({ alg: 'none' })}.${b64([1, 2])}.sig`, /payload\) is not a JSON object/, 'payload');
    rejects(`${b64({ alg: 'none' })}.${b64({ iss: 'https://idp.example.com' })}.sig`, /no "sub" claim/, 'payload');
    rejects(`${b64({ alg: 'none' })}.${b64({ sub: 'x', iss: 7 })}.sig`, /"iss" claim is not a string/, 'payload');
  });

  test('a Bearer prefix and surrounding whitespace are ignored; the signature is never read', () => {
    const d = decodeJwt(`  Bearer ${jwt({ sub: 's', aud: 'api', act: { sub: 'user-1' } })}\n`);
    assert.deepEqual(d, { alg: 'ES256', sub: 's', aud: ['api'], act: { sub: 'user-1' } });
  });
});

describe('scim-agents whois-token', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-whois-'));
    for (const [rel, text] of Object.entries(FILES)) fs.writeFileSync(path.join(dir, rel), text);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function whois(args: string[], stdin: string): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: dir, isTTY: false, readStdin: async () => stdin };
    return { code: await runCli(['whois-token', ...args], io), out, err };
  }

  test('reads the token from standard input and never prints it', async () => {
    const token = jwt({ sub: 'svc-triage', iss: 'https://idp.example.com' });
    const r = await whois(['.'], token + '\n');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /belongs to Agent "triage", owned by user:alice/);
    assert.match(r.out, /^Agent "triage" {2}agents\.agents\.yaml:2$/m);
    assert.ok(!r.out.includes(token.split('.')[2]!) && !r.err.includes(token));
    const json = await whois(['.', '--format', 'json'], token);
    assert.equal((JSON.parse(json.out) as Correlation & { matches: { file: string }[] }).matches[0]!.file, 'agents.agents.yaml');
  });

  test('the real process stops reading standard input past 64 KiB: malformed, exit 2, no stack trace', async () => {
    const cli = path.resolve(__dirname, '..', '..', 'cli.js');
    const child = spawn(process.execPath, [cli, 'whois-token', dir], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdin.on('error', () => undefined); // the CLI closes its end once it has read enough
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let written = 0;
    const pump = () => {
      while (written < 64 && child.stdin.writable) {
        written++;
        if (!child.stdin.write(chunk)) return void child.stdin.once('drain', pump);
      }
      child.stdin.end();
    };
    pump();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 2, err);
    assert.match(err, /malformed: standard input holds more than 64 KiB/);
    assert.ok(!/\n\s+at /.test(err), 'no stack trace');
    assert.ok(written < 64, `stopped reading early (${written} MiB written)`);
  });

  test('exit 1 when the token belongs to no governed identity; 2 when it is malformed', async () => {
    const none = await whois(['.'], jwt({ sub: 'nobody' }));
    assert.equal(none.code, 1);
    assert.match(none.out, /belongs to no governed identity/);
    const bad = await whois(['.'], 'garbage');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /Not a JWT/);
  });

  test('refuses a token given as an argument or a flag', async () => {
    const token = jwt({ sub: 'svc-triage' });
    const r = await whois([token], '');
    assert.equal(r.code, 2);
    assert.match(r.err, /never taken as an argument.*standard input/);
    assert.ok(!r.err.includes(token));
    assert.equal((await whois(['--token', token], '')).code, 2);
  });
});
