// Shared plumbing for the e2e drivers: one code-server + one headless Chromium per run, each
// run in fresh temporary folders, everything torn down (process group included) on exit.
// Nothing here reaches the network: code-server gets EXTENSIONS_GALLERY='{}' and Chromium
// resolves only loopback names.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTENSION_FILES, writeEditorSettings } from './launcher.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.SCIM_AGENTS_E2E_CHROMIUM || '/usr/bin/chromium';

const t0 = Date.now();
export const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
export const log = (msg) => console.log(`[e2e ${elapsed()}] ${msg}`);

export function fail(msg) {
  console.error(`[e2e] ERROR: ${msg}`);
  process.exit(2);
}

/** NODE24 and CODE_SERVER, as written by e2e/setup.sh. */
export function loadEnv() {
  const file = path.join(ROOT, 'e2e/.env');
  if (!fs.existsSync(file)) fail('e2e/.env is missing: run `bash e2e/setup.sh` first.');
  const env = Object.fromEntries(
    fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  for (const key of ['NODE24', 'CODE_SERVER']) {
    if (!env[key] || !fs.existsSync(env[key])) fail(`${key} in e2e/.env does not exist (${env[key]}): run \`bash e2e/setup.sh\` again.`);
  }
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: run \`bash e2e/setup.sh\` (it installs Debian's chromium).`);
  return env;
}

/** `node esbuild.mjs` unless --no-build was given. */
export function build(argv) {
  if (argv.includes('--no-build')) return;
  log('building (node esbuild.mjs)');
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) fail('the build failed');
}

export function requireFiles(...relative) {
  for (const r of relative) {
    if (!fs.existsSync(path.join(ROOT, r))) fail(`${r} is missing: build with \`node esbuild.mjs\`.`);
  }
}

/** A value of `--name value` on the command line, else the fallback. */
export function option(argv, name, fallback) {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
}

export { QUIET_SETTINGS } from './launcher.mjs';

/**
 * Fresh folders for one run: a copy of the fixture workspace (or an empty folder), user data
 * (quiet User settings plus `extraSettings`, and `machine` settings written where code-server
 * reads machine-scoped ones: the launcher's own code path), an extensions folder, and private
 * HOME/TMPDIR/XDG folders so nothing lands outside the run.
 */
export function createRun(label, fixtureWorkspace, extraSettings = {}, machine = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `scim-agents-e2e-${label}-`));
  const run = {
    dir,
    ws: path.join(dir, 'ws'),
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    home: path.join(dir, 'home'),
    tmp: path.join(dir, 'tmp'),
  };
  if (fixtureWorkspace) fs.cpSync(path.join(ROOT, fixtureWorkspace), run.ws, { recursive: true });
  else fs.mkdirSync(run.ws, { recursive: true });
  for (const d of [run.extensions, run.home, run.tmp]) fs.mkdirSync(d, { recursive: true });
  writeEditorSettings(run.userData, { user: extraSettings, machine });
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return run;
}

/**
 * What a run's window opens: the `.code-workspace` file at the top of its workspace folder when
 * the fixture has one (a multi-root workspace), else the folder itself.
 */
export function windowTarget(run) {
  const file = fs.readdirSync(run.ws).find((f) => f.endsWith('.code-workspace'));
  return file ? { workspace: path.join(run.ws, file) } : { folder: run.ws };
}

/** Environment for code-server and everything it spawns (extension host, language server). */
export function runEnv(run, extra = {}) {
  return {
    ...process.env,
    HOME: run.home,
    TMPDIR: run.tmp,
    XDG_CONFIG_HOME: path.join(run.home, '.config'),
    XDG_DATA_HOME: path.join(run.home, '.local/share'),
    XDG_CACHE_HOME: path.join(run.home, '.cache'),
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

// ---- teardown: process groups and temp folders, on every way out --------------------------
const groups = new Set();
const cleanups = [];
function killGroups() {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  groups.clear();
}
export function cleanup({ keep = false } = {}) {
  killGroups();
  if (!keep) while (cleanups.length) cleanups.pop()();
}
process.on('exit', killGroups);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

/**
 * The local sandbox as `npm start` runs it: the bundled CLI's `serve` in its own process group,
 * data in <run>/sandbox, on a free loopback port; resolves once it answers. Killed with the run.
 */
export async function startSandboxProcess(run) {
  const port = await freePort();
  const dataDir = path.join(run.dir, 'sandbox');
  const out = fs.openSync(path.join(run.dir, 'sandbox.log'), 'a');
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'serve', '--data', dataDir, '--port', String(port), '--quiet'], { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  groups.add(child.pid);
  const baseUrl = `http://127.0.0.1:${port}/scim/v2`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the sandbox exited (${child.exitCode}); see ${path.join(run.dir, 'sandbox.log')}`);
    try {
      await (await fetch(`${baseUrl}/ServiceProviderConfig`)).text();
      break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error('the sandbox did not answer within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, dataDir, child, token: () => fs.readFileSync(path.join(dataDir, 'token'), 'utf8').trim() };
}

/** Runs code-server once in the foreground (e.g. --install-extension); throws on failure. */
export function codeServerOnce(env, run, args) {
  const r = spawnSync(env.NODE24, [env.CODE_SERVER, '--user-data-dir', run.userData, '--extensions-dir', run.extensions, ...args], {
    env: runEnv(run),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`code-server ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * Starts code-server in its own process group and waits for /healthz.
 * Its output goes to <run>/code-server.log.
 */
/** `trusted: false` leaves workspace trust on, so a folder nobody trusted opens in Restricted Mode. */
export async function startCodeServer(env, run, { smokeTestDriver = false, extraEnv = {}, trusted = true } = {}) {
  const port = await freePort();
  const logFile = path.join(run.dir, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    env.CODE_SERVER,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    '--disable-getting-started-override',
    '--user-data-dir', run.userData,
    '--extensions-dir', run.extensions,
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    run.ws,
  ];
  const child = spawn(env.NODE24, args, { detached: true, stdio: ['ignore', out, out], env: runEnv(run, extraEnv) });
  fs.closeSync(out);
  groups.add(child.pid);
  let exited = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited early (${exited}); see ${logFile}:\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer /healthz within 30 s; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, base, child, logFile, remote: (p) => `vscode-remote://127.0.0.1:${port}${p}` };
}

/** Debian's Chromium through playwright-core; loopback-only name resolution. */
export async function launchChromium(run) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    env: { ...process.env, HOME: run.home, TMPDIR: run.tmp, XDG_CONFIG_HOME: path.join(run.home, '.config') },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
    ],
  });
}

/**
 * What every UI driver takes from its command line: --keep, --screenshots <dir> (default
 * test-results/e2e/screenshots) and the time a step may take (SCIM_AGENTS_E2E_STEP_S, 90 s).
 */
export function uiDriverOptions(argv) {
  return {
    keep: argv.includes('--keep'),
    shots: path.resolve(ROOT, option(argv, '--screenshots', 'test-results/e2e/screenshots')),
    stepMs: Number(process.env.SCIM_AGENTS_E2E_STEP_S || 90) * 1000,
  };
}

/**
 * One workbench page in a fresh Chromium for a UI driver's steps: `shot(name)` saves a
 * screenshot in `shots`, `openFolder(server)` opens the run's folder in the workbench of
 * `server` (startCodeServer) and waits for it to show, `palette(title)` runs a command from the command palette and
 * `quickOpen(file)` opens a file with Ctrl+P, as a user does. When a step gives up, what the
 * screen showed is saved as failure.png (the quickest way to see why); the browser is closed
 * whatever happens.
 */
export async function withWorkbenchPage(run, shots, stepMs, steps) {
  const browser = await launchChromium(run);
  let page;
  try {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(stepMs);
    const shot = async (name) => {
      await page.screenshot({ path: path.join(shots, name) });
      log(`screenshot ${path.relative(ROOT, path.join(shots, name))}`);
    };
    const palette = async (title) => {
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill(`>${title}`);
      // The row that Enter runs: until the list is filtered, the focused row is whatever the
      // unfiltered list starts with, though a row with the title is already in it.
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor();
      await page.keyboard.press('Enter');
    };
    /** Opens a workspace file with Ctrl+P (Quick Open), as a user does, and waits for its tab. */
    const quickOpen = async (file) => {
      await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } }).catch(() => undefined);
      await page.keyboard.press('Control+P');
      await page.locator('.quick-input-widget input').fill(file);
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: file }).waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab', { hasText: file }).waitFor();
      log(`opened ${file}`);
    };
    const openFolder = async (server) => {
      await page.goto(`${server.base}/?folder=${encodeURIComponent(run.ws)}`);
      await page.locator('.monaco-workbench .part.statusbar').waitFor();
    };
    return await steps({ page, shot, palette, quickOpen, openFolder });
  } catch (err) {
    await page?.screenshot({ path: path.join(shots, 'failure.png') }).catch(() => undefined);
    log(`screenshot of the failure: ${path.relative(ROOT, path.join(shots, 'failure.png'))}`);
    throw err;
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/** Rejects with `label` when `promise` takes longer than `ms`. */
export function withTimeout(promise, ms, label) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${label}`)), ms);
    }),
  ]);
}

/** Keeps the run's logs (code-server, VS Code's own logs) under test-results/e2e/<label>/. */
export function keepLogs(run, label) {
  const dest = path.join(ROOT, 'test-results/e2e', label);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const logs = path.join(run.userData, 'logs');
  if (fs.existsSync(logs)) fs.cpSync(logs, path.join(dest, 'vscode-logs'), { recursive: true });
  const cs = path.join(run.dir, 'code-server.log');
  if (fs.existsSync(cs)) fs.copyFileSync(cs, path.join(dest, 'code-server.log'));
  return path.relative(ROOT, dest);
}

/**
 * The files that make up the extension at run time (what .vscodeignore lets into the vsix, and
 * the file itself). Used to stage a copy of the extension when a different language server is
 * under test (its dist/server.js is then replaced).
 */
const STAGED_FILES = [...EXTENSION_FILES, '.vscodeignore'];

/**
 * The extension folder to load: the clone itself, or, when SCIM_AGENTS_E2E_SERVER names another
 * server bundle, a staged copy with that file as dist/server.js (the clone's dist/ is untouched).
 */
export function extensionFolder(run) {
  const server = process.env.SCIM_AGENTS_E2E_SERVER;
  if (!server) return ROOT;
  if (!fs.existsSync(server)) fail(`SCIM_AGENTS_E2E_SERVER=${server} does not exist`);
  const stage = path.join(run.dir, 'extension');
  for (const rel of STAGED_FILES) {
    const from = path.join(ROOT, rel);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, rel), { recursive: true });
  }
  fs.mkdirSync(path.join(stage, 'dist'), { recursive: true });
  fs.copyFileSync(server, path.join(stage, 'dist/server.js'));
  // A server that loads parts from its own folder (dist/prettier.js, dist/x509.js) gets the ones built with it.
  for (const part of ['prettier.js', 'x509.js']) {
    const from = path.join(path.dirname(server), part);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(stage, 'dist', part));
  }
  log(`staged the extension with server ${server}`);
  return stage;
}

/**
 * Ctrl+. until the quick fix menu shows: on a loaded machine the editor sometimes ignores the
 * first press while it settles (about one run in five). Returns the menu's rows.
 */
export async function openQuickFixMenu(page) {
  const menu = page.locator('.action-widget .monaco-list-row.action');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    try {
      await menu.first().waitFor({ timeout: 5_000 });
      return menu;
    } catch (err) {
      if (attempt === 5) throw err;
      log(`the quick fix menu did not open (attempt ${attempt}); trying again`);
    }
  }
}

/** Runs a UI driver's steps within a limit, keeps the logs of a failure, tears down and exits. */
export async function finishUiRun(label, run, keep, main, limitMs = 300_000) {
  const started = Date.now();
  let ok = false;
  try {
    await withTimeout(main(), limitMs, `the ${label}`);
    ok = true;
  } catch (err) {
    log(`FAILED: ${err.message.split('\n').slice(0, 14).join('\n')}`);
    log(`logs kept in ${keepLogs(run, label.replace(/\W+/g, '-'))}`);
  }
  if (keep) log(`run folder kept: ${run.dir}`);
  cleanup({ keep });
  log(`${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(ok ? 0 : 1);
}
