#!/usr/bin/env node
// UI: a folder nobody trusted (workspace trust on, as VS Code ships) opens in Restricted Mode.
// Manifests are still validated, but nothing that runs or sends anything may start:
//
//   1. SCIM Agents: Start Local Sandbox, from the command palette: one message saying why, with
//      Manage Workspace Trust; no sandbox process answers on the configured port and its data
//      folder (the workspace's, by default) is not created.
//   2. SCIM Agents: Provision: refused with a message naming Restricted Mode; nothing is sent.
//
// Screenshots: restricted-*.png in test-results/e2e/screenshots/ (or --screenshots <dir>).
//
// Usage: node e2e/run-ui-restricted.mjs [--no-build] [--keep] [--screenshots <dir>]
import fs from 'node:fs';
import path from 'node:path';
import { build, finishUiRun, createRun, freePort, loadEnv, log, requireFiles, startCodeServer, uiDriverOptions, withWorkbenchPage } from './lib/harness.mjs';
import { installExtension, machineSettings, writeEditorSettings } from './lib/launcher.mjs';

const argv = process.argv.slice(2);
const { keep, shots, stepMs: STEP_MS } = uiDriverOptions(argv);
const FILE = 'restricted-bot.agent.yaml';
// Trust on, and no start-up question: the folder simply stays untrusted, as after "No, I don't trust".
const UI = {
  'workbench.colorTheme': 'Default Dark Modern',
  'editor.minimap.enabled': false,
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
};
const MANIFEST = `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]
externalId: restricted-bot
name: restricted-bot
displayName: Restricted Bot
`;

const env = loadEnv();
build(argv);
requireFiles('dist/client.js', 'dist/server.js', 'dist/cli.js');
const run = createRun('restricted', undefined, UI);

/** Whether anything answers on the port (a sandbox the gate should have kept from starting). */
async function answers(url) {
  try {
    await (await fetch(url)).text();
    return true;
  } catch {
    return false;
  }
}

async function main() {
  fs.writeFileSync(path.join(run.ws, FILE), MANIFEST);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}/scim/v2`;
  const data = path.join(run.ws, '.scim-sandbox');
  writeEditorSettings(run.userData, { user: UI, machine: machineSettings({ endpoint, sandboxData: data }) });
  installExtension(run.extensions);
  const server = await startCodeServer(env, run, { trusted: false });
  fs.mkdirSync(shots, { recursive: true });
  await withWorkbenchPage(run, shots, STEP_MS, async ({ page, shot, palette, quickOpen, openFolder }) => {
    const toast = (text) => page.locator('.notification-toast', { hasText: text }).first();
    await openFolder(server);
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor();
    log('the folder opened in Restricted Mode');

    // Validation still runs: the manifest has no owner.
    await quickOpen(FILE);
    await page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first().waitFor();
    log('the manifest is validated in Restricted Mode');

    // 1. Start Local Sandbox is refused, and nothing started.
    await palette('SCIM Agents: Start Local Sandbox');
    const refused = toast('trusted workspace');
    await refused.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor();
    log(`notification: ${(await refused.innerText()).replace(/\s+/g, ' ')}`);
    await shot('restricted-sandbox-refused.png');
    if (await answers(`${endpoint}/ServiceProviderConfig`)) throw new Error(`a sandbox answers on ${endpoint} in Restricted Mode`);
    if (fs.existsSync(data)) throw new Error(`the sandbox data folder ${data} was created in Restricted Mode`);
    log('no sandbox answers on the configured port and no data folder was created');
    await page.keyboard.press('Escape');

    // 2. Provision is refused too.
    await palette('SCIM Agents: Provision');
    const provisionRefused = toast('Provisioning needs');
    await provisionRefused.waitFor();
    const said = (await provisionRefused.innerText()).replace(/\s+/g, ' ');
    if (!/trusted workspace/.test(said)) throw new Error(`Provision in Restricted Mode said: ${said}`);
    log(`notification: ${said}`);
    if (await page.locator('.monaco-dialog-box').isVisible()) throw new Error('Provision asked for confirmation in Restricted Mode');
    if (await answers(`${endpoint}/ServiceProviderConfig`)) throw new Error(`a sandbox answers on ${endpoint} in Restricted Mode`);
    await shot('restricted-provision-refused.png');
  });
}

await finishUiRun('Restricted Mode', run, keep, main);
