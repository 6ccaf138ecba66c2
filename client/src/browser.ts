/**
 * The extension in VS Code for the Web (github.dev, vscode.dev; package.json `browser`): the
 * language server runs in a Web Worker (dist/web/server.js) and gets the workspace's manifests from
 * here, since it has no file system (server/src/lsp/protocol/workspaceFiles.ts). Validation, hover, completion,
 * quick fixes, outline, navigation, formatting, rename and the inventory view work as on the
 * desktop; provisioning and the local sandbox need the desktop extension and say so.
 */
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, type LanguageClientOptions } from 'vscode-languageclient/browser';
import {
  EDITOR_COMMANDS,
  STATUS_NOTIFICATION,
  WORKSPACE_FILES_BATCH,
  WORKSPACE_FILES_NOTIFICATION,
  type InitializationOptions,
  type StatusParams,
  type WorkspaceFilesParams,
  SETTINGS_SECTION,
} from '../../server/src/lsp/protocol';
import { registerGovernance } from './governance';
import { buildDocumentSelector, includeGlobs } from './selector';
import { isScannedPath, MANIFEST_GLOB, SCAN_EXCLUDE_GLOB } from '../../server/src/manifest/fileNames';
import { ManifestStatus } from './status';
import { registerNewManifest } from './newManifest';

declare const Worker: new (url: string) => object;

export const DESKTOP_ONLY_MESSAGE =
  'SCIM Agents: provisioning and the local sandbox need the desktop extension (VS Code or code-server with a Node extension host). In the browser, manifests are validated only.';
const DESKTOP_ONLY_COMMANDS = [EDITOR_COMMANDS.plan, EDITOR_COMMANDS.apply, EDITOR_COMMANDS.deprovision, EDITOR_COMMANDS.setToken, EDITOR_COMMANDS.signOut];
/** As many manifests as the Node server scans (lsp/scan.ts MAX_SCANNED_FILES). */
const MAX_FILES = 20_000;

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<{ ready: Promise<void> }> {
  const started = Date.now();
  const output = vscode.window.createOutputChannel('SCIM Agents', { log: true });
  const status = new ManifestStatus();
  context.subscriptions.push(output, status);
  for (const id of DESKTOP_ONLY_COMMANDS)
    context.subscriptions.push(vscode.commands.registerCommand(id, () => vscode.window.showInformationMessage(DESKTOP_ONLY_MESSAGE)));
  context.subscriptions.push(
    vscode.commands.registerCommand(EDITOR_COMMANDS.showOutput, () => output.show(true)),
    registerNewManifest(),
    vscode.commands.registerCommand(EDITOR_COMMANDS.restartServer, async () => {
      await client?.stop();
      await client?.start();
      await sendWorkspace(includeGlobs());
    }),
  );
  let resolveClient!: (c: LanguageClient) => void;
  const running = new Promise<LanguageClient>((r) => (resolveClient = r));
  // The governance view only talks to the server through requests; its types are the Node client's.
  context.subscriptions.push(...registerGovernance(context, output, () => running as unknown as Promise<never>));

  const ready = (async () => {
    status.starting();
    const globs = includeGlobs();
    // No endpoint in the browser: provisioning stays in the desktop extension.
    const initializationOptions: InitializationOptions = { workspaceTrusted: vscode.workspace.isTrusted, endpoint: {} };
    const options: LanguageClientOptions = {
      documentSelector: buildDocumentSelector(globs),
      synchronize: { configurationSection: SETTINGS_SECTION },
      initializationOptions,
      outputChannel: output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };
    client = new LanguageClient(SETTINGS_SECTION, 'SCIM Agents', await serverWorker(context), options);
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => status.update(params));
    await client.start();
    status.running();
    resolveClient(client);
    watchWorkspace(context, globs);
    await sendWorkspace(globs);
    output.info(`Activated in the browser in ${Date.now() - started} ms (language server in a Web Worker).`);
  })();
  ready.catch((err) => {
    output.error(`The language server failed to start: ${err instanceof Error ? err.message : String(err)}`);
    status.failed('language server failed to start');
  });
  return { ready };
}

/**
 * The worker from a blob: URL of the bundle's text: code-server (and other remotes) refuse
 * `new Worker(<extension URI>)` for extensions they serve; VS Code wraps the global Worker, so
 * the object itself goes to the client.
 */
async function serverWorker(context: vscode.ExtensionContext): Promise<never> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'server.js'));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
  return new Worker(url) as never;
}

function patterns(globs: readonly string[]): vscode.GlobPattern[] {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return [MANIFEST_GLOB, ...folders.flatMap((f) => globs.map((g) => new vscode.RelativePattern(f, g)))];
}

async function sendWorkspace(globs: readonly string[]): Promise<void> {
  const seen = new Map<string, vscode.Uri>();
  for (const pattern of patterns(globs)) {
    for (const uri of await vscode.workspace.findFiles(pattern, SCAN_EXCLUDE_GLOB, MAX_FILES)) seen.set(uri.toString(), uri);
  }
  const uris = [...seen.values()].slice(0, MAX_FILES);
  for (let i = 0; i < uris.length; i += WORKSPACE_FILES_BATCH) await sendChanged(uris.slice(i, i + WORKSPACE_FILES_BATCH), []);
}

async function sendChanged(changed: readonly vscode.Uri[], deleted: readonly vscode.Uri[]): Promise<void> {
  const params: WorkspaceFilesParams = { changed: [], deleted: deleted.map((u) => u.toString()) };
  const decoder = new TextDecoder();
  for (const uri of changed) {
    try {
      params.changed.push({ uri: uri.toString(), text: decoder.decode(await vscode.workspace.fs.readFile(uri)) });
    } catch {
      // gone or unreadable since it was found: the server simply does not index it
    }
  }
  await client?.sendNotification(WORKSPACE_FILES_NOTIFICATION, params);
}

/** A file the workspace search would have found (the watchers' globs match anywhere: node_modules, dist, hidden folders). */
function scanned(uri: vscode.Uri): boolean {
  return isScannedPath(vscode.workspace.asRelativePath(uri, false));
}

function watchWorkspace(context: vscode.ExtensionContext, globs: readonly string[]): void {
  for (const pattern of patterns(globs)) {
    const watcher = vscode.workspace.createFileSystemWatcher(pattern);
    context.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => void (scanned(uri) && sendChanged([uri], []))),
      watcher.onDidChange((uri) => void (scanned(uri) && sendChanged([uri], []))),
      watcher.onDidDelete((uri) => void sendChanged([], [uri])),
    );
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
