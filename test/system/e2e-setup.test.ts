import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoPath } from '../helpers/repo';

/**
 * e2e/setup.sh runs as a child of `npm test` / `npm start`, on the machine's Node 20. The outer
 * npm exports its state (npm_config_user_agent names Node 20; npm_config_local_prefix names our
 * project) and an inner npm on Node 24 that inherits it installs code-server for the wrong Node:
 * its postinstall reads the user agent and refuses. A warm cache hides this on the machine that
 * made the cache, so these checks run the setup's own environment cleaning with the cached Node 24,
 * under an environment shaped like the one npm gives a script.
 */
const setup = repoPath('e2e/setup.sh');
const npmEnv = repoPath('e2e/lib/npm-env.sh');

const outerNpm = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_local_prefix: path.dirname(setup),
  npm_node_execpath: '/usr/bin/node',
  npm_lifecycle_event: 'test',
  npm_package_name: 'scim-agents',
  npm_config_registry: 'https://registry.example.invalid/',
};

function node24(): string {
  const env = fs.readFileSync(repoPath('e2e/.env'), 'utf8');
  const m = /^NODE24=(.+)$/m.exec(env);
  assert.ok(m, 'e2e/.env names NODE24 (e2e/setup.sh writes it)');
  return m[1].trim();
}

test('e2e setup: every npm call in setup.sh goes through without_outer_npm', () => {
  const lines = fs.readFileSync(setup, 'utf8').split('\n');
  const npmCalls = lines.filter((l) => /(^|[\s(&|;])npm (ci|install|i) /.test(l) && !/^\s*(#|fail |say )/.test(l));
  assert.ok(npmCalls.length >= 2, 'setup.sh installs Node 24 and code-server with npm');
  for (const l of npmCalls) assert.match(l, /without_outer_npm/, `an npm call without the cleaned environment: ${l.trim()}`);
});

test("e2e setup: without_outer_npm drops npm's exported state and keeps the registry settings", () => {
  const r = spawnSync('bash', ['-c', `. "${npmEnv}"; without_outer_npm env`], {
    env: { PATH: process.env.PATH, ...outerNpm },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const names = r.stdout.split('\n').map((l) => l.split('=')[0]);
  for (const gone of ['npm_config_user_agent', 'npm_config_local_prefix', 'npm_node_execpath', 'npm_lifecycle_event', 'npm_package_name']) {
    assert.ok(!names.includes(gone), `${gone} still reaches the inner npm`);
  }
  assert.ok(names.includes('npm_config_registry'), 'a registry chosen by the user must survive');
});

test("e2e setup: the inner npm on Node 24 reports Node 24 to install scripts, as code-server's postinstall reads it", () => {
  const bin = path.dirname(node24());
  const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'setup-env-'));
  try {
    // A tiny package whose script prints what an install script sees; npm runs it like a postinstall.
    fs.writeFileSync(
      path.join(tmp, 'package.json'),
      JSON.stringify({ name: 'probe', private: true, scripts: { probe: 'node -e "console.log(process.env.npm_config_user_agent)"' } }),
    );
    const r = spawnSync('bash', ['-c', `. "${npmEnv}"; cd "${tmp}" && PATH="${bin}:$PATH" without_outer_npm npm run --silent probe`], {
      env: { ...process.env, ...outerNpm, npm_config_registry: undefined },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /node\/v24\./, `the inner npm reported: ${r.stdout.trim()}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
