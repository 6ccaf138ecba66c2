import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { serveCommand } from '../../server/src/cli/commands/serve';
import type { CliIO } from '../../server/src/cli/io';
import { makeTempDir, scimRequest } from '../helpers/sandbox';

function fakeIO(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    cwd,
    isTTY: false,
    readStdin: async () => '',
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('scim-agents serve', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await fs.rm(d, { recursive: true, force: true });
  });

  it('prints help', async () => {
    const f = fakeIO('.');
    assert.equal(await serveCommand(['--help'], f.io), 0);
    assert.match(f.out(), /--token-env NAME/);
  });

  it('refuses bad flags, a token flag, non-loopback hosts and an empty token variable', async () => {
    for (const argv of [
      ['--token', 'x'],
      ['--port', 'abc'],
      ['--host', '0.0.0.0'],
      ['--token-env', 'NOPE'],
      ['--profile', 'x'],
    ]) {
      const f = fakeIO('.');
      assert.equal(await serveCommand(argv, f.io), 2, argv.join(' '));
      assert.ok(f.err().length > 0);
    }
  });

  it('starts, says where the token is (never the token itself), serves, and stops cleanly', async () => {
    const cwd = await makeTempDir();
    dirs.push(cwd);
    let seen = '';
    const first = fakeIO(cwd);
    const code = await serveCommand(['--port', '0', '--data', 'sbx'], first.io, {
      waitForStop: async (s) => {
        const r = await scimRequest(s.baseUrl, s.token, 'GET', '/Users');
        assert.equal(r.status, 200);
        seen = s.token;
      },
    });
    assert.equal(code, 0);
    assert.match(first.out(), /listening on http:\/\/127\.0\.0\.1:\d+\/scim\/v2/);
    assert.ok(!first.out().includes(seen), 'the new token is not printed');
    assert.match(first.out(), /token: generated and stored in .*sbx[/\\]token \(mode 0600\)/);
    assert.match(first.out(), /GET \/scim\/v2\/Users 200/);
    assert.equal((await fs.readFile(`${cwd}/sbx/token`, 'utf8')).trim(), seen);

    const second = fakeIO(cwd);
    assert.equal(await serveCommand(['--port', '0', '--data', 'sbx', '--quiet'], second.io, { waitForStop: async () => {} }), 0);
    assert.ok(!second.out().includes(seen), 'not shown again');
    assert.match(second.out(), /token: stored in /);
  });

  it('takes the token from --token-env', async () => {
    const cwd = await makeTempDir();
    dirs.push(cwd);
    const f = fakeIO(cwd, { SANDBOX_TOKEN: 'env-token-abcdefghijkl' });
    let status = 0;
    await serveCommand(['--port', '0', '--token-env', 'SANDBOX_TOKEN', '--quiet'], f.io, {
      waitForStop: async (s) => {
        status = (await scimRequest(s.baseUrl, 'env-token-abcdefghijkl', 'GET', '/Users')).status;
      },
    });
    assert.equal(status, 200);
    assert.ok(!f.out().includes('env-token-abcdefghijkl'));
  });
});
