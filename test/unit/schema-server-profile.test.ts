// The `server` profile: validation against the /Schemas and /ResourceTypes an endpoint really
// serves, cached on disk outside the workspace. Real servers: the sandbox and the scimmy peer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../server/src/cli/main';
import type { CliIO } from '../../server/src/cli/io';
import { serverProfile, type ServedDefinitions } from '../../server/src/schema/served';
import { schemaCacheFile } from '../../server/src/scim/schemaCache';
import { lint, positionOf } from '../helpers/lint';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';
import { startPeer, type RunningPeer } from '../helpers/peers';

const AGENT = 'urn:ietf:params:scim:schemas:core:2.0:Agent';
const EXT = 'urn:example:params:scim:schemas:extension:acme:2.0:Agent';
const agent = (body = '', name = 'bot') => `schemas: [${AGENT}]\nname: ${name}\nowners:\n  - value: user:alice\n${body}`;
const codes = (fs: { code: string; line: number; column: number }[]) => fs.map((f) => `${f.code}@${f.line}:${f.column}`);

function served(required: boolean): ServedDefinitions {
  return {
    resourceTypes: { [AGENT]: { name: 'Agent', endpoint: '/Agents', schema: AGENT, schemaExtensions: [{ schema: EXT, required }] } },
    schemas: {
      [AGENT]: {
        id: AGENT,
        name: 'Agent',
        attributes: [
          { name: 'name', type: 'string', required: true },
          { name: 'owners', type: 'complex', multiValued: true, subAttributes: [{ name: 'value', type: 'string' }] },
          { name: 'weird name', type: 'string' },
          { name: 'level', type: 'wibble' },
        ],
      },
      [EXT]: {
        id: EXT,
        name: 'Acme',
        attributes: [
          { name: 'costCenter', type: 'integer', required: true },
          { name: 'team', type: 'string' },
        ],
      },
    },
  };
}

describe('a profile from served definitions', () => {
  test('what the server does not define is an attribute it will not keep; odd definitions are noted, not used', () => {
    const profile = serverProfile('https://idp.example/scim/v2', '2026-12-01T00:00:00Z', served(false));
    assert.deepEqual(profile.notes.length, 2);
    const text = agent('displayName: Bot\n');
    const f = lint({ 'a.agent.yaml': text }, { profile: 'server', serverProfile: { profile } });
    assert.deepEqual(codes(f), [`unknown-attribute@${positionOf(text, 'displayName').line}:1`]);
    assert.match(f[0]!.message, /not an attribute of this Agent in the schemas served by https:\/\/idp\.example\/scim\/v2: the server will not keep it/);
  });

  test('a required extension is enforced, and its attributes validated against its definition', () => {
    const profile = serverProfile('https://idp.example/scim/v2', '2026-12-01T00:00:00Z', served(true));
    const missing = agent();
    assert.deepEqual(codes(lint({ 'a.agent.yaml': missing }, { profile: 'server', serverProfile: { profile } })), ['required-missing@1:1']);
    const wrong = agent(`${EXT}:\n  costCenter: "seven"\n  tem: x\n`).replace(`[${AGENT}]`, `[${AGENT}, ${EXT}]`);
    assert.deepEqual(codes(lint({ 'a.agent.yaml': wrong }, { profile: 'server', serverProfile: { profile } })), [
      `type-mismatch@${positionOf(wrong, '"seven"').line}:15`,
      `unknown-attribute@${positionOf(wrong, 'tem:').line}:3`,
    ]);
    const good = agent(`${EXT}:costCenter: 7\n`).replace(`[${AGENT}]`, `[${AGENT}, ${EXT}]`);
    assert.deepEqual(codes(lint({ 'a.agent.yaml': good }, { profile: 'server', serverProfile: { profile } })), []);
  });

  test('a required extension without required attributes is satisfied by an empty object', () => {
    const defs = served(true);
    (defs.schemas[EXT]!.attributes[0] as { required: boolean }).required = false;
    const profile = serverProfile('https://idp.example/scim/v2', '2026-12-01T00:00:00Z', defs);
    const empty = agent(`${EXT}: {}\n`).replace(`[${AGENT}]`, `[${AGENT}, ${EXT}]`);
    assert.deepEqual(codes(lint({ 'a.agent.yaml': empty }, { profile: 'server', serverProfile: { profile } })), []);
    assert.deepEqual(codes(lint({ 'a.agent.yaml': agent() }, { profile: 'server', serverProfile: { profile } })), ['required-missing@1:1']);
  });

  test('with no endpoint the server profile is never silently used', () => {
    const text = agent();
    const f = lint({ 'a.agent.yaml': text }, { profile: 'server' });
    assert.deepEqual(codes(f), ['profile-unknown@1:1']);
    assert.match(
      f[0]!.message,
      /^The server profile validates against the schemas your SCIM endpoint serves, but no SCIM endpoint is configured\. Validating as abbey-00 instead\.$/,
    );
    // Also when a file asks for it.
    const declared = lint({ 'a.agent.yaml': `# scim-agents-profile: server\n${text}` });
    assert.deepEqual(codes(declared), ['profile-unknown@2:1']);
  });
});

let work: string;
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    env: { SCIM_AGENTS_CACHE_DIR: path.join(work, 'cache'), ...env },
    cwd: path.join(work, 'ws'),
    isTTY: false,
    readStdin: async () => '',
  };
  return { code: await runCli(args, io), out, err };
}

describe('lint --profile server against real servers', () => {
  let sandbox: TestSandbox;
  let peer: RunningPeer;
  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-server-profile-'));
    fs.mkdirSync(path.join(work, 'ws'));
    sandbox = await withSandbox();
    peer = await startPeer('scimmy');
  });
  after(async () => {
    await sandbox.dispose();
    await peer.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });
  const write = (name: string, text: string) => fs.writeFileSync(path.join(work, 'ws', name), text);

  test('no --endpoint: a clear finding on each resource, exit 1', async () => {
    write('a.agent.yaml', agent());
    const r = await cli(['lint', '--profile', 'server', '.'], {});
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /a\.agent\.yaml:1:1 +error +The server profile .* no SCIM endpoint is configured \(give --endpoint URL; the token comes from the environment\)\. Validating as abbey-00 instead\. +profile-unknown/,
    );
  });

  test('the sandbox: served definitions fetched once, cached outside the workspace without the token, refreshed on request', async () => {
    write('a.agent.yaml', agent('displayName: Bot\n'));
    const first = await cli(['lint', '--profile', 'server', '--endpoint', sandbox.baseUrl, '.'], { SCIM_AGENTS_TOKEN: sandbox.token });
    assert.equal(first.code, 0, first.out + first.err);
    assert.match(first.err, /server profile of http:\/\/127\.0\.0\.1:\d+\S* \(fetched now/);
    const file = schemaCacheFile(path.join(work, 'cache', 'server-schemas'), sandbox.baseUrl);
    const cached = fs.readFileSync(file, 'utf8');
    assert.ok(!cached.includes(sandbox.token), 'the cache never holds the token');
    assert.ok(cached.includes('"urn:ietf:params:scim:schemas:core:2.0:Agent"'));
    assert.deepEqual(fs.readdirSync(path.join(work, 'ws')), ['a.agent.yaml'], 'nothing written in the workspace');
    // From the cache: no token needed, no request made.
    const again = await cli(['lint', '--profile', 'server', '--endpoint', sandbox.baseUrl, '.'], {});
    assert.equal(again.code, 0, again.out + again.err);
    assert.match(again.err, /\(cached, fetched /);
    // Refresh goes to the server, so it needs the token.
    const refresh = await cli(['lint', '--profile', 'server', '--refresh-schemas', '--endpoint', sandbox.baseUrl, '.'], {});
    assert.equal(refresh.code, 2);
    assert.match(refresh.err, /No token: set the SCIM_AGENTS_TOKEN environment variable/);
    const refreshed = await cli(['lint', '--profile', 'server', '--refresh-schemas', '--endpoint', sandbox.baseUrl, '.'], { SCIM_AGENTS_TOKEN: sandbox.token });
    assert.equal(refreshed.code, 0);
    assert.match(refreshed.err, /fetched now/);
  });

  test('the scimmy peer: what it serves decides, not the bundled draft', async () => {
    // scimmy's applications carry a `type` the bundled abbey-00 lacks; it has no `nickName`.
    const text = agent('applications:\n  - value: app-1\n    type: owned\nnickName: B\n');
    write('a.agent.yaml', text);
    const bundled = await cli(['lint', '--format', 'json', '.'], {});
    const bundledCodes = JSON.parse(bundled.out).map((f: { code: string; line: number }) => `${f.code}@${f.line}`);
    assert.ok(bundledCodes.includes(`unknown-attribute@${positionOf(text, 'type: owned').line}`), bundledCodes.join());
    const r = await cli(['lint', '--format', 'json', '--profile', 'server', '--endpoint', peer.baseUrl, '.'], { SCIM_AGENTS_TOKEN: peer.token });
    const findings = JSON.parse(r.out) as { code: string; line: number; column: number; message: string }[];
    assert.deepEqual(
      findings.map((f) => `${f.code}@${f.line}:${f.column}`).filter((c) => c.startsWith('unknown-attribute')),
      [`unknown-attribute@${positionOf(text, 'nickName').line}:1`],
    );
    assert.match(findings.find((f) => f.code === 'unknown-attribute')!.message, /the server will not keep it/);
  });
});
