#!/usr/bin/env node
// Kind A: the mocha suite (dist/test/e2e/index.js) inside the real VS Code extension host.
//
// code-server runs with `--vscode-option enable-smoke-test-driver`, which makes the workbench
// honour the `payload` URL parameter: extensionDevelopmentPath loads the extension unpacked from
// disk and extensionTestsPath runs the suite's run(), exactly as @vscode/test-electron does on
// desktop. The workbench reports mocha's output through window.codeAutomationLog and the result
// through window.codeAutomationExit, which this driver provides before the page loads.
//
// Usage: node e2e/run-exthost-tests.mjs [--no-build] [--context manifests|plain|multiroot] [--web] [--keep] [--verbose] [--screenshots <dir>]
//   --web  VS Code for the Web: the extension in the web-worker extension host (browser entry,
//          language server in a Web Worker), the browser checks (dist/web/test/index.js) on the
//          manifests workspace; when they pass, the Problems panel must show owner-missing with
//          its squiggle, screenshotted as web-diagnostics.png (default folder
//          test-results/e2e/screenshots; --screenshots docs/images refreshes the README's)
//   env SCIM_AGENTS_E2E_GREP=<regexp>     only matching tests
//   env SCIM_AGENTS_E2E_SERVER=<file.js>  load the extension with this language server bundle
//   env SCIM_AGENTS_E2E_TIMEOUT_S=<n>     per-context limit (default 240)
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import {
  ROOT, build, cleanup, createRun, extensionFolder, keepLogs, launchChromium, loadEnv, log, option,
  requireFiles, startCodeServer, startSandboxProcess, windowTarget, withTimeout,
} from './lib/harness.mjs';
import { machineSettings, writeEditorSettings } from './lib/launcher.mjs';

/** Each context is one VS Code window on one fixture workspace; see test/e2e/index.ts. */
const CONTEXTS = {
  manifests: 'e2e/fixtures/ws',
  plain: 'e2e/fixtures/plain-ws',
  multiroot: 'e2e/fixtures/multiroot-ws',
};

const argv = process.argv.slice(2);
const only = option(argv, '--context', undefined);
if (only && !CONTEXTS[only]) {
  console.error(`unknown --context ${only}; one of ${Object.keys(CONTEXTS).join(', ')}`);
  process.exit(2);
}
const keep = argv.includes('--keep');
const verbose = argv.includes('--verbose');
const web = argv.includes('--web');
const shots = path.resolve(ROOT, option(argv, '--screenshots', 'test-results/e2e/screenshots'));
/** A user setting moves an extension with both `main` and `browser` to the web-worker host. */
const WEB_SETTINGS = { 'remote.extensionKind': { 'scim-agents.scim-agents': ['web'] }, 'workbench.colorTheme': 'Default Dark Modern' };
const testsEntry = web ? 'dist/web/test/index.js' : 'dist/test/e2e/index.js';
/** Workbench console chatter that says nothing about our tests (shown with --verbose). */
const WORKBENCH_NOISE =
  /^(Ignoring fetching additional builtin|Updating additional builtin|Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|\[Service Worker\]|\[AgentHost|\[AccountPolicyGate\]|Timed out waiting for authentication provider|\s+at )/;
const limitMs = Number(process.env.SCIM_AGENTS_E2E_TIMEOUT_S || 240) * 1000;

const env = loadEnv();
build(argv);
requireFiles(...(web ? ['dist/web/client.js', 'dist/web/server.js'] : ['dist/client.js', 'dist/cli.js']), testsEntry);

/** What the web checks log when the screen is ready, and the file (in the workspace) that answers them. */
const WEB_SCREENSHOT_READY = 'scim-agents-e2e: ready for the screenshot';
const WEB_SCREENSHOT_TAKEN = '.scim-agents-e2e-screenshot-taken';

/** The web build's diagnostics, seen in the Problems panel and as a squiggle: web-diagnostics.png. */
async function webScreenshot(page, run) {
  try {
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'owner-missing' }).first().waitFor({ timeout: 30_000 });
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'web-diagnostics.png') });
    log(`screenshot ${path.relative(ROOT, path.join(shots, 'web-diagnostics.png'))}`);
  } finally {
    fs.writeFileSync(path.join(run.ws, WEB_SCREENSHOT_TAKEN), '');
  }
}

async function runContext(name) {
  const started = Date.now();
  const run = createRun(web ? `web-${name}` : name, CONTEXTS[name], web ? WEB_SETTINGS : {});
  // The provisioning suites meet the editor as `npm start` leaves it: a sandbox started by the
  // CLI, and the launcher's own machine-scoped settings naming it and its data folder.
  if (name === 'manifests' && !web) {
    const sandbox = await startSandboxProcess(run);
    writeEditorSettings(run.userData, { machine: machineSettings({ endpoint: sandbox.baseUrl, sandboxData: sandbox.dataDir }) });
    log(`[${name}] sandbox up at ${sandbox.baseUrl}`);
  }
  const extensionPath = extensionFolder(run);
  if (!fs.existsSync(path.join(extensionPath, 'dist/server.js'))) log('warning: dist/server.js is missing; tests that need the language server will fail');
  const server = await startCodeServer(env, run, {
    smokeTestDriver: true,
    extraEnv: {
      SCIM_AGENTS_E2E_CONTEXT: name,
      ...(process.env.SCIM_AGENTS_E2E_GREP ? { SCIM_AGENTS_E2E_GREP: process.env.SCIM_AGENTS_E2E_GREP } : {}),
    },
  });
  log(`[${name}] code-server up on port ${server.port}`);
  const browser = await launchChromium(run);
  let exitCode;
  let screenshotFailed = false;
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let reportExit;
    const exited = new Promise((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      // The web checks stop with the manifest and the Problems panel in view and wait for the
      // picture (the extension host, and its diagnostics, end with the checks).
      if (web && line.includes(WEB_SCREENSHOT_READY)) {
        void webScreenshot(page, run).catch((err) => {
          log(`[${name}] the web diagnostics screenshot: ${err.message.split('\n')[0]}`);
          screenshotFailed = true;
        });
      }
      if (verbose || !WORKBENCH_NOISE.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    page.on('pageerror', (err) => log(`[${name}] page error: ${err.message}`));
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', server.remote(extensionPath)],
      ['extensionTestsPath', server.remote(path.join(ROOT, testsEntry))],
      ['skipWelcome', 'true'],
    ]);
    const target = windowTarget(run);
    const opened = target.workspace ? `workspace=${encodeURIComponent(target.workspace)}` : `folder=${encodeURIComponent(target.folder)}`;
    await page.goto(`${server.base}/?${opened}&payload=${encodeURIComponent(payload)}`);
    exitCode = await withTimeout(exited, limitMs, `the "${name}" suite to finish`);
  } catch (err) {
    log(`[${name}] ${err.message}`);
    exitCode = 'error';
  } finally {
    await browser.close().catch(() => undefined);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = exitCode === 0 && !screenshotFailed;
  if (!ok) log(`[${name}] logs kept in ${keepLogs(run, `exthost-${name}`)}`);
  if (keep) log(`[${name}] run folder kept: ${run.dir}`);
  cleanup({ keep });
  log(`[${name}] ${ok ? 'passed' : `FAILED (exit ${exitCode})`} in ${seconds} s`);
  return ok;
}

let allOk = true;
for (const name of only ? [only] : web ? ['manifests'] : Object.keys(CONTEXTS)) {
  allOk = (await runContext(name)) && allOk;
}
process.exit(allOk ? 0 : 1);
