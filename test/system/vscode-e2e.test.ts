import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/**
 * The VS Code suites run in real VS Code (code-server + Debian Chromium, see e2e/README.md):
 * each driver exits 0 only when every mocha test inside the extension host passed. Running them
 * from here puts them in the same summary as every other suite.
 */
const drivers = [
  { name: 'extension-host suite (mocha in code-server)', script: 'e2e/run-exthost-tests.mjs' },
  { name: 'VS Code for the Web: browser checks in the web-worker extension host', script: 'e2e/run-exthost-tests.mjs', args: ['--web'] },
  { name: 'UI smoke through the real workbench', script: 'e2e/run-ui-smoke.mjs' },
  { name: 'UI walk-through: empty folder to a provisioned agent', script: 'e2e/run-ui-walkthrough.mjs' },
  { name: 'UI: Set Endpoint Token typed into the input box, checked against a real sandbox', script: 'e2e/run-ui-set-token.mjs' },
  { name: 'UI: a manifest provisioned before the editor started, opened at once: its code lens says in sync', script: 'e2e/run-ui-start-state.mjs' },
  { name: 'UI: Restricted Mode refuses Start Local Sandbox and Provision', script: 'e2e/run-ui-restricted.mjs' },
  { name: "TextMate grammars over VS Code's own YAML/JSON grammars", script: 'e2e/check-grammars.mjs' },
];

function runDriver(script: string, args: readonly string[] = []) {
  const r = spawnSync(process.execPath, [script, '--no-build', ...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 7 * 60_000 });
  process.stdout.write(
    r.stdout
      .split('\n')
      .map((l) => `# ${l}`)
      .join('\n') + '\n',
  );
  return r;
}

for (const d of drivers) {
  test(`VS Code e2e: ${d.name}`, { timeout: 15 * 60_000 }, (t) => {
    assert.ok(fs.existsSync('e2e/.env'), 'e2e/setup.sh must run first (npm test does)');
    let r = runDriver(d.script, d.args);
    if (r.status !== 0) {
      // A browser driving a real workbench on two loaded cores has timing the tests cannot fully
      // control. One fresh retry, reported in the summary: a real failure fails twice.
      t.diagnostic(`RETRIED: the first run of ${d.script} failed (exit ${r.status ?? r.signal}); its output is above`);
      r = runDriver(d.script, d.args);
    }
    assert.equal(r.status, 0, `${d.script} failed:\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`);
  });
}
