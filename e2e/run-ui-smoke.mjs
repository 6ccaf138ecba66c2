#!/usr/bin/env node
// Kind B: a UI smoke test of the packaged extension, as a user meets it.
//
// Packages the vsix (vsce), installs it into a fresh extensions folder with
// `code-server --install-extension`, opens the workbench in headless Chromium and, through the
// real UI: opens the manifest with Ctrl+P, waits for our diagnostic in the Problems panel, hovers
// the squiggle, applies the quick fix with Ctrl+., and runs our commands from the palette.
// Screenshots (diagnostics.png, hover.png, quickfix.png) go to test-results/e2e/screenshots/, a
// CI artifact; `--screenshots docs/images` refreshes the ones the documentation shows.
//
// The selectors are VS Code's internal DOM (checked with code-server 4.139.1 / VS Code 1.139.1):
// keep this test small and put logic in the extension-host suite (run-exthost-tests.mjs).
//
// Usage: node e2e/run-ui-smoke.mjs [--no-build] [--keep] [--screenshots <dir>]
//   env SCIM_AGENTS_E2E_SERVER=<file.js>  package the extension with this language server bundle
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, build, finishUiRun, openQuickFixMenu, codeServerOnce, createRun, extensionFolder, loadEnv, log,
  requireFiles, startCodeServer,
  uiDriverOptions, withWorkbenchPage,
} from './lib/harness.mjs';

const argv = process.argv.slice(2);
const { keep, shots, stepMs: STEP_MS } = uiDriverOptions(argv);
const FILE = 'missing-owner.agent.yaml';
const CODE = 'owner-missing';

const env = loadEnv();
build(argv);
requireFiles('dist/client.js');

// Code lenses appear asynchronously and shift the lines the smoke clicks on; they have their own tests.
const run = createRun('ui', 'e2e/fixtures/ws', { 'workbench.colorTheme': 'Default Dark Modern', 'editor.minimap.enabled': false, 'editor.codeLens': false });

/** vsce in the extension folder (the clone, or the staged copy with another server). */
function packageVsix(folder) {
  if (!fs.existsSync(path.join(folder, 'dist/server.js'))) throw new Error('dist/server.js is missing: the vsix would have no language server');
  const vsix = folder === ROOT ? path.join(ROOT, 'dist/scim-agents.vsix') : path.join(run.dir, 'scim-agents.vsix');
  const vsce = path.join(ROOT, 'node_modules/@vscode/vsce/vsce');
  const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix], {
    cwd: folder,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  const summary = /Packaged: .*\((\d+ files?, [\d.]+ \w+)\)/.exec(r.stdout);
  log(`packaged ${path.relative(ROOT, vsix) || vsix} (${summary ? summary[1] : 'size unknown'})`);
  return vsix;
}

async function main() {
  const vsix = packageVsix(extensionFolder(run));
  codeServerOnce(env, run, ['--install-extension', vsix]);
  log('installed the vsix');
  const server = await startCodeServer(env, run);
  log(`code-server up on port ${server.port}`);
  fs.mkdirSync(shots, { recursive: true });
  fs.rmSync(path.join(shots, 'failure.png'), { force: true });
  await withWorkbenchPage(run, shots, STEP_MS, async ({ page, shot, palette, quickOpen, openFolder }) => {

    await openFolder(server);
    log('workbench up');

    // 1. Open the manifest with Ctrl+P.
    await quickOpen(FILE);

    // 2. Our diagnostic in the Problems panel, with the squiggle in the editor.
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: CODE });
    await row.first().waitFor();
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    await squiggle.waitFor();
    log(`Problems: ${(await row.first().innerText()).replace(/\s+/g, ' ')}`);
    await shot('diagnostics.png');

    // 3. Hover the squiggle: the diagnostic and the server's hover. The squiggle is an overlay
    // under the text layer, so the mouse goes to its position rather than to the element.
    const box = await squiggle.boundingBox();
    if (!box) throw new Error('the squiggle has no position on screen');
    const at = { x: box.x + Math.min(box.width / 2, 20), y: box.y + box.height / 2 };
    await page.mouse.move(at.x, at.y);
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: CODE });
    await hover.first().waitFor();
    // Let the hover finish asking for code actions before the picture is taken.
    await page.locator('.monaco-hover:not(.hidden)', { hasText: /Quick Fix|No quick fixes/ }).first().waitFor();
    await shot('hover.png');
    await page.keyboard.press('Escape');

    // 4. The quick fix, from Ctrl+. on the squiggle; applying it clears the diagnostic.
    await page.mouse.click(at.x, at.y);
    const menu = await openQuickFixMenu(page);
    log(`quick fixes: ${(await menu.allInnerTexts()).map((t) => t.trim()).join(' | ')}`);
    await shot('quickfix.png');
    await page.keyboard.press('Enter');
    await row.first().waitFor({ state: 'detached' });
    log('the quick fix cleared the diagnostic');

    // 5. Our commands from the palette: restart the server, then show its output.
    for (const title of ['SCIM Agents: Restart Language Server', 'SCIM Agents: Show Output']) {
      await palette(title);
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    }
    await page.locator('.part.panel .view-lines', { hasText: 'restart requested' }).first().waitFor();
    log('commands ran: the output shows the restart');

    // 6. The Agent Identities view (governance): focus it from the palette, wait for the application row.
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Focus on Agent Identities View');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Agent Identities' }).waitFor();
    await page.keyboard.press('Enter');
    const identities = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Agent Identities' }) });
    await page.locator('.pane-header', { hasText: /^ws$/i }).first().click(); // fold the file tree so the view has room
    await identities.locator('.monaco-list-row', { hasText: 'triage-bot' }).first().waitFor();
    await page.keyboard.press('Control+J'); // hide the panel
    await shot('inventory.png');
    log('the Agent Identities view lists the workspace');
  });
}

await finishUiRun('UI smoke test', run, keep, main);
