#!/usr/bin/env node
// UI: the state of a manifest opened the moment the window is up, as after `npm start`: the
// manifest was provisioned into the local sandbox by the CLI before the editor started, and the
// code lens must say "in sync" without the user doing anything. The file is opened with Ctrl+P as
// soon as the workbench shows, while the extension may still be starting its language server
// (its quiet read of the state once found no client and the lens stayed "state unknown").
//
// Usage: node e2e/run-ui-start-state.mjs [--no-build] [--keep] [--screenshots <dir>]
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, build, finishUiRun, createRun, loadEnv, log, requireFiles, startCodeServer, startSandboxProcess, uiDriverOptions, withWorkbenchPage } from './lib/harness.mjs';
import { installExtension, machineSettings, writeEditorSettings } from './lib/launcher.mjs';

const argv = process.argv.slice(2);
const { keep, shots, stepMs: STEP_MS } = uiDriverOptions(argv);
const FILE = 'started-bot.agent.yaml';
const UI = { 'workbench.colorTheme': 'Default Dark Modern', 'editor.minimap.enabled': false };
const MANIFEST = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: started-bot
name: started-bot
displayName: Started Bot
owners:
  - value: user:bob
`;

const env = loadEnv();
build(argv);
requireFiles('dist/client.js', 'dist/server.js', 'dist/cli.js');
const run = createRun('start-state', undefined, UI);

async function main() {
  const sandbox = await startSandboxProcess(run);
  fs.writeFileSync(path.join(run.ws, FILE), MANIFEST);
  // As npm start does: the CLI provisions the manifest, the token in its environment only.
  const applied = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'apply', path.join(run.ws, FILE), '--endpoint', sandbox.baseUrl, '--yes'], {
    encoding: 'utf8',
    env: { ...process.env, SCIM_AGENTS_TOKEN: sandbox.token() },
  });
  if (applied.status !== 0) throw new Error(`scim-agents apply exited ${applied.status}: ${applied.stdout}${applied.stderr}`);
  log('the CLI provisioned the manifest into the sandbox');
  writeEditorSettings(run.userData, { user: UI, machine: machineSettings({ endpoint: sandbox.baseUrl, sandboxData: sandbox.dataDir }) });
  installExtension(run.extensions);
  const server = await startCodeServer(env, run);
  fs.mkdirSync(shots, { recursive: true });
  await withWorkbenchPage(run, shots, STEP_MS, async ({ page, shot, quickOpen, openFolder }) => {
    await openFolder(server);
    await quickOpen(FILE);
    const lens = page.locator('.codelens-decoration', { hasText: 'in sync' }).first();
    try {
      await lens.waitFor({ timeout: Math.min(STEP_MS, 45_000) });
    } catch {
      throw new Error(`the code lens of a manifest opened at start says: ${(await page.locator('.codelens-decoration').allInnerTexts()).join(' | ') || 'nothing'}`);
    }
    log(`code lens: ${(await lens.innerText()).replace(/\s+/g, ' ')}`);
    await shot('start-state-in-sync.png');
  });
}

await finishUiRun('state at start', run, keep, main);
