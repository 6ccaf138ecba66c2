#!/usr/bin/env node
// Opens a folder in VS Code in the browser (code-server) with this extension installed and
// pointed at a SCIM endpoint; used by `npm start`. Prints the URL and runs until Ctrl-C.
//
// Usage: node e2e/lib/open-editor.mjs --folder examples --endpoint http://127.0.0.1:8787/scim/v2 \
//          [--sandbox-data .scim-agents/sandbox]
//   The endpoint and the sandbox's data folder become machine-scoped settings (launcher.mjs,
//   shared with the e2e drivers). No token is handed over: against the product's own sandbox the
//   extension reads it from the data folder's token file; for other endpoints the user sets it
//   with "SCIM Agents: Set Endpoint Token" (checked, then kept in SecretStorage).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadEnv, option, startCodeServer } from './harness.mjs';
import { installExtension, machineSettings, writeEditorSettings } from './launcher.mjs';

const argv = process.argv.slice(2);
const folder = path.resolve(option(argv, '--folder', 'examples'));
const endpoint = option(argv, '--endpoint', '');
const sandboxData = option(argv, '--sandbox-data', '');
const env = loadEnv();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-agents-editor-'));
const run = {
  dir,
  ws: folder,
  userData: path.join(dir, 'user-data'),
  extensions: path.join(dir, 'extensions'),
  home: path.join(dir, 'home'),
  tmp: path.join(dir, 'tmp'),
};
for (const d of [run.extensions, run.home, run.tmp]) fs.mkdirSync(d, { recursive: true });
writeEditorSettings(run.userData, { machine: machineSettings({ endpoint, sandboxData }) });

installExtension(run.extensions);

const removeRun = () => fs.rmSync(dir, { recursive: true, force: true });
process.on('exit', removeRun);

const server = await startCodeServer(env, run);
console.log(`VS Code (code-server) with scim-agents: ${server.base}/?folder=${encodeURIComponent(folder)}`);
console.log('Open it in a browser on this machine. Press Ctrl-C to stop.');
await new Promise((resolve) => server.child.on('exit', resolve));
