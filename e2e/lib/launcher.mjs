// How the launcher (`npm start`, e2e/lib/open-editor.mjs) and the e2e drivers install the
// extension and configure VS Code in code-server: one code path, so that the tests see what a
// user who ran `npm start` sees.
//
// User settings go to <user-data-dir>/User/settings.json. Machine-scoped settings (the SCIM
// endpoint and the sandbox's data folder) go to <user-data-dir>/Machine/settings.json: that is
// where the VS Code server (code-server) reads the remote machine's settings, and a
// machine-scoped value in User settings is not applied in a remote window (code-server's window
// is one): with it there, `npm start` on another port planned against the default 8787.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Settings that keep the UI quiet and offline. */
export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
};

/**
 * The machine-scoped settings that point the extension at a SCIM endpoint and, for the
 * product's own sandbox, at its data folder (where the extension finds the sandbox's token).
 */
export function machineSettings({ endpoint, sandboxData } = {}) {
  return {
    ...(endpoint ? { 'SCIMAgents.endpoint.url': endpoint } : {}),
    ...(sandboxData ? { 'SCIMAgents.sandbox.dataFolder': path.resolve(sandboxData) } : {}),
  };
}

/** Writes User and Machine settings into a code-server user-data folder. */
export function writeEditorSettings(userData, { user = {}, machine = {} } = {}) {
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...user }, null, 2));
  fs.writeFileSync(path.join(userData, 'Machine/settings.json'), JSON.stringify(machine, null, 2));
}

/**
 * What the extension needs at run time, as the vsix holds it: the paths .vscodeignore lets back
 * in (for a pattern with a wildcard, the folder before it), read from there so that a file the
 * vsix gains is installed here too.
 */
export const EXTENSION_FILES = [
  ...new Set(
    fs
      .readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => {
        const parts = line.slice(1).trim().split('/');
        const wild = parts.findIndex((p) => p.includes('*'));
        return (wild < 0 ? parts : parts.slice(0, wild)).join('/');
      }),
  ),
];

/** Installs the clone's extension into an extensions folder: an unpacked publisher.name-version folder is an installed extension. */
export function installExtension(extensionsDir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const installed = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  for (const rel of EXTENSION_FILES) {
    const from = path.join(ROOT, rel);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(installed, rel), { recursive: true });
  }
  return installed;
}
