/**
 * The extension's entry point (dist/client.js, a few kilobytes): activation that costs next to
 * nothing, so the window paints first. Loading the rest (./extension and vscode-languageclient:
 * dist/extension.js, its own file so that loading this one does not parse it) and starting the
 * language server happen on the next turn of the event loop. Until then each contributed command has a stand-in that waits for the real one,
 * so a command that activated the extension still runs.
 */
import * as vscode from 'vscode';
import type { ScimAgentsApi } from './extension';

type Extension = typeof import('./extension');

let loaded: Extension | undefined;

export function activate(context: vscode.ExtensionContext): ScimAgentsApi {
  const contributed = ((context.extension.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map(
    (c) => c.command,
  );
  let api: ScimAgentsApi | undefined;
  let started!: (value: ScimAgentsApi) => void;
  let failed!: (reason: unknown) => void;
  const full = new Promise<ScimAgentsApi>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });
  const standIns = contributed.map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      await full;
      return vscode.commands.executeCommand(id, ...args);
    }),
  );
  setImmediate(() => {
    try {
      // The stand-ins go just before the real commands are registered, in the same turn.
      for (const d of standIns) d.dispose();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on the next turn, so activate() returns at once
      loaded = require('./extension') as Extension;
      api = loaded.activate(context);
      started(api);
    } catch (e) {
      failed(e);
    }
  });
  full.catch(() => undefined);
  const ready = full.then((a) => a.ready);
  ready.catch(() => undefined); // reported in the output channel and the status item
  return {
    ready,
    status: (uri) => api?.status(uri),
  };
}

export async function deactivate(): Promise<void> {
  await loaded?.deactivate();
}
