#!/usr/bin/env node
// The language server's own start, over LSP stdio, without an editor: from spawning the process
// to the `initialize` answer (loading the bundle, as the extension's `ready` waits for it), and the
// first diagnostics of a manifest opened then (a manifest outside the workspace folder, so the
// workspace scan does not publish it first). Several server bundles are measured in turns, one
// start each per round, so that a loaded machine slows them alike: compare a branch's dist/server.js
// with main's in the same run. Prints median (min–max, n) per bundle.
//
// Usage: node bench/server-start.mjs [--runs N] [--open-after MS] server.js [other/server.js ...]
//   --open-after: wait that long after `initialized` before opening the manifest (0: at once,
//   while the server still warms up; a few hundred: after its warm-up, as in bench/activation.mjs).
//   The server runs on this node (`process.execPath`): run this script with e2e/.env's NODE24 to
//   measure the runtime code-server gives it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

const argv = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const [value] = argv.splice(i, 2).slice(1);
  return value;
};
const runs = Math.max(1, Number(flag('--runs', '5')));
const openAfterMs = Math.max(0, Number(flag('--open-after', '0')));
const servers = argv.map((s) => path.resolve(s));
if (servers.length === 0 || servers.some((s) => !fs.existsSync(s))) {
  console.error('usage: node bench/server-start.mjs [--runs N] [--open-after MS] server.js [other/server.js ...]');
  process.exit(2);
}

const TEXT = 'schemas:\n  - urn:ietf:params:scim:schemas:core:2.0:Agent\nname: bench-agent\n';
const TIMEOUT_MS = 60_000;

async function once(server) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-bench-start-'));
  const folder = path.join(root, 'workspace');
  fs.mkdirSync(folder);
  const file = path.join(root, 'bench.agent.yaml'); // outside the folder: only the open publishes it
  fs.writeFileSync(file, TEXT);
  const uri = pathToFileURL(file).toString();
  const t0 = performance.now();
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr.resume();
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let published;
  const diagnostics = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${server}: no diagnostics within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    published = (at) => (clearTimeout(timer), resolve(at));
  });
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri === uri && p.diagnostics.length > 0) published(performance.now());
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map((i) => (i.section === 'SCIMAgents' ? {} : null)));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onNotification(() => undefined);
  conn.listen();
  try {
    const folderUri = pathToFileURL(folder).toString();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folderUri,
      workspaceFolders: [{ uri: folderUri, name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { versionSupport: true } },
      },
      initializationOptions: { workspaceTrusted: true },
    });
    const initializeMs = performance.now() - t0;
    await conn.sendNotification('initialized', {});
    if (openAfterMs > 0) await new Promise((r) => setTimeout(r, openAfterMs));
    const opened = performance.now();
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'scim-agents-yaml', version: 1, text: TEXT } });
    const diagnosticsMs = (await diagnostics) - opened;
    await conn.sendRequest('shutdown');
    await conn.sendNotification('exit');
    return { initializeMs, diagnosticsMs };
  } finally {
    await new Promise((r) => (proc.exitCode !== null ? r() : (proc.once('exit', r), setTimeout(() => proc.kill(), 5000).unref())));
    conn.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function summary(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  return `${median.toFixed(1)} ms (${s[0].toFixed(1)}–${s[s.length - 1].toFixed(1)}, n=${s.length})`;
}

const samples = new Map(servers.map((s) => [s, { initializeMs: [], diagnosticsMs: [] }]));
for (let i = 0; i < runs; i++) {
  for (const s of servers) {
    const r = await once(s);
    samples.get(s).initializeMs.push(r.initializeMs);
    samples.get(s).diagnosticsMs.push(r.diagnosticsMs);
  }
}
console.log(`node ${process.version}, manifest opened ${openAfterMs} ms after initialized`);
for (const [s, x] of samples)
  console.log(`${s}\n  spawn to initialize answered: ${summary(x.initializeMs)}\n  open to first diagnostics: ${summary(x.diagnosticsMs)}`);
