#!/usr/bin/env node
// The same extension-host suite on desktop VS Code, through @vscode/test-electron, for machines
// that can download VS Code (this one cannot: use run-exthost-tests.mjs here). Same extension
// folder, same test entry (dist/test/e2e/index.js), same fixture workspaces and contexts.
//
// Usage: node e2e/run-test-electron.mjs [--no-build] [--context manifests|plain|multiroot] [--vscode-version stable|1.91.0|...]
// On Linux without a display, run it under `xvfb-run -a`.
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT, build, cleanup, createRun, option, requireFiles, startSandboxProcess, windowTarget } from './lib/harness.mjs';
import { machineSettings, writeEditorSettings } from './lib/launcher.mjs';

const CONTEXTS = {
  manifests: 'e2e/fixtures/ws',
  plain: 'e2e/fixtures/plain-ws',
  multiroot: 'e2e/fixtures/multiroot-ws',
};

const argv = process.argv.slice(2);
const only = option(argv, '--context', undefined);
const version = option(argv, '--vscode-version', 'stable');
build(argv);
requireFiles('dist/client.js', 'dist/server.js', 'dist/test/e2e/index.js');

let failed = false;
for (const name of only ? [only] : Object.keys(CONTEXTS)) {
  const run = createRun(`electron-${name}`, CONTEXTS[name]);
  try {
    // As in run-exthost-tests.mjs; desktop VS Code reads machine-scoped settings from User settings.
    if (name === 'manifests') {
      const sandbox = await startSandboxProcess(run);
      writeEditorSettings(run.userData, { user: machineSettings({ endpoint: sandbox.baseUrl, sandboxData: sandbox.dataDir }) });
    }
    await runTests({
      version,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'dist/test/e2e/index.js'),
      extensionTestsEnv: { SCIM_AGENTS_E2E_CONTEXT: name },
      launchArgs: [
        windowTarget(run).workspace ?? run.ws,
        '--user-data-dir', run.userData,
        '--extensions-dir', run.extensions,
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
    console.log(`[e2e] ${name}: passed`);
  } catch (err) {
    console.error(`[e2e] ${name}: FAILED (${err instanceof Error ? err.message : err})`);
    failed = true;
  } finally {
    cleanup();
  }
}
process.exit(failed ? 1 : 0);
