// `npm start` leaves nothing behind that holds the sandbox token (issue 11.12): the launcher
// runs on a private TMPDIR and data folder, with the editor part switched off (the e2e suites
// cover it), and is stopped as a user stops it (SIGINT to its process group, like Ctrl-C). Then
// its TMPDIR is empty, no file outside the data folder holds the token, and the sandbox's log is
// inside the data folder and readable by its owner only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unusedLoopbackPort } from '../helpers/ports';
import { repoPath } from '../helpers/repo';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

test('npm start keeps the token inside the data folder and leaves no temporary file', { timeout: 120_000 }, async () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-start-'));
  const tmp = path.join(scratch, 'tmp');
  const data = path.join(scratch, 'data');
  fs.mkdirSync(tmp);
  try {
    const port = await unusedLoopbackPort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TMPDIR: tmp,
      SCIM_AGENTS_PORT: String(port),
      SCIM_AGENTS_DATA: data,
      SCIM_AGENTS_NO_EDITOR: '1',
      SCIM_AGENTS_NO_BUILD: '1',
    };
    delete env.SCIM_AGENTS_TOKEN;
    const child = spawn('bash', [repoPath('scripts/start.sh')], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // The launcher says so once the examples are provisioned and the sandbox keeps running.
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (/keeps running/.test(out)) resolve();
      };
      child.stdout.on('data', check);
      void exited.then((code) => reject(new Error(`start.sh exited early (${code}):\n${out}`)));
    });
    assert.match(out, new RegExp(`Sandbox SCIM server: http://127\\.0\\.0\\.1:${port}/scim/v2`));
    const token = fs.readFileSync(path.join(data, 'token'), 'utf8').trim();
    assert.ok(token.length >= 16);
    const log = path.join(data, 'serve.log');
    assert.ok(fs.existsSync(log), 'the sandbox log is in the data folder');
    assert.equal(fs.statSync(log).mode & 0o077, 0, 'the log is readable by its owner only');
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    assert.deepEqual(filesUnder(tmp), [], 'nothing left in TMPDIR');
    const outside = filesUnder(scratch).filter((f) => !f.startsWith(data + path.sep));
    for (const f of outside) assert.ok(!fs.readFileSync(f, 'utf8').includes(token), `${f} holds the token`);
    assert.ok(
      !fs.readdirSync(os.tmpdir()).some((n) => n.startsWith('scim-agents-sandbox.') && fs.readFileSync(path.join(os.tmpdir(), n), 'utf8').includes(token)),
      'no sandbox log in the system temp folder holds it',
    );
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
