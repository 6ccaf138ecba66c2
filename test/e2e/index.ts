/**
 * Mocha entry for the extension-host tests, in the shape @vscode/test-electron expects:
 * `run()` is called inside the extension host once VS Code is up, and its promise decides the
 * exit code. The same file serves e2e/run-exthost-tests.mjs (code-server) and
 * e2e/run-test-electron.mjs (desktop VS Code).
 *
 * A run has one workspace, so suites are grouped by the workspace they need, one folder each:
 *   manifests/ (workspace e2e/fixtures/ws)        the default
 *   plain/     (workspace e2e/fixtures/plain-ws)  no manifest at start-up
 *   multiroot/ (e2e/fixtures/multiroot-ws/multiroot.code-workspace)  two folders, each with its settings
 * The driver names the group in SCIM_AGENTS_E2E_CONTEXT (the extension host inherits it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const context = process.env.SCIM_AGENTS_E2E_CONTEXT || 'manifests';
  const dir = path.join(__dirname, context);
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 90_000,
    reporter: 'spec',
    ...(process.env.SCIM_AGENTS_E2E_GREP ? { grep: process.env.SCIM_AGENTS_E2E_GREP } : {}),
  });
  if (!fs.existsSync(dir)) return Promise.reject(new Error(`no e2e suites for context "${context}" (${dir})`));
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith('.e2e.js')) mocha.addFile(path.join(dir, file));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} e2e test(s) failed`)) : resolve()));
  });
}
