#!/usr/bin/env node
// (f) Extension activation in real VS Code (code-server, as the e2e suites run it). Each run is a
// fresh code-server + Chromium on a copy of e2e/fixtures/plain-ws, where nothing activates the
// extension at start-up; the suite test/e2e/bench/activation.e2e.ts then times, inside the
// extension host: `getExtension(id).activate()`, the language server ready (the API's `ready`),
// and the first diagnostics of a manifest opened afterwards. Prints median/min/max per figure.
//
// Usage: node bench/activation.mjs [--runs N] [--no-build]
//   The last line is `ACTIVATION_RESULT {json}` (samples per figure) for bench/run.ts.
//   Exit 2 when the e2e harness is not set up (bash e2e/setup.sh).
import util from 'node:util';
import { ROOT, build, cleanup, createRun, launchChromium, loadEnv, log, option, requireFiles, startCodeServer, withTimeout } from '../e2e/lib/harness.mjs';

const argv = process.argv.slice(2);
const runs = Math.max(1, Number(option(argv, '--runs', '3')));
const limitMs = 180_000;
const MARK = 'SCIM_AGENTS_ACTIVATION ';

const env = loadEnv();
build(argv);
requireFiles('dist/client.js', 'dist/server.js', 'dist/test/e2e/bench/activation.e2e.js');

/** One fresh window: the suite's figures plus the time from opening the page to the measurement. */
async function once(i) {
  const run = createRun(`bench-activation-${i}`, 'e2e/fixtures/plain-ws');
  const server = await startCodeServer(env, run, { smokeTestDriver: true, extraEnv: { SCIM_AGENTS_E2E_CONTEXT: 'bench' } });
  const browser = await launchChromium(run);
  try {
    const page = await browser.newPage();
    let figures;
    let reportExit;
    const exited = new Promise((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationLog', (_type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      const at = line.indexOf(MARK);
      if (at >= 0) figures = JSON.parse(line.slice(at + MARK.length));
    });
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(code));
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', server.remote(ROOT)],
      ['extensionTestsPath', server.remote(`${ROOT}/dist/test/e2e/index.js`)],
      ['skipWelcome', 'true'],
    ]);
    const t0 = Date.now();
    await page.goto(`${server.base}/?folder=${encodeURIComponent(run.ws)}&payload=${encodeURIComponent(payload)}`);
    const code = await withTimeout(exited, limitMs, 'the activation measurement');
    if (code !== 0 || !figures) throw new Error(`the measurement suite failed (exit ${code})`);
    return { ...figures, workbenchToDiagnosticsMs: Date.now() - t0 };
  } finally {
    await browser.close().catch(() => undefined);
    cleanup();
  }
}

function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  return `median ${Math.round(median)} ms (min ${Math.round(s[0])}, max ${Math.round(s[s.length - 1])}, n=${s.length})`;
}

const samples = { activateMs: [], readyMs: [], firstDiagnosticsMs: [], editorShownMs: [], workbenchToDiagnosticsMs: [] };
for (let i = 0; i < runs; i++) {
  const r = await once(i);
  log(`run ${i + 1}/${runs}: ${JSON.stringify(r)}`);
  for (const k of Object.keys(samples)) samples[k].push(r[k]);
}
for (const [k, xs] of Object.entries(samples)) console.log(`${k}: ${summary(xs)}`);
console.log(`ACTIVATION_RESULT ${JSON.stringify(samples)}`);
process.exit(0);
