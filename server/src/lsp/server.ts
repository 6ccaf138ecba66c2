/**
 * The language server: a thin adapter from LSP to the engine. One file per feature; this file
 * only wires them to a connection. `startServer(host)` runs on a platform (host.ts): Node's
 * (nodeHost.ts: dist/server.js and `scim-agents lsp`, over --stdio, --node-ipc or --socket=N)
 * or the browser's (browserMain.ts: a Web Worker, no file system, no provisioning).
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  FileChangeType,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerBuiltinCommands } from './builtinCommands';
import { codeActions } from './codeActions';
import { commands, type CommandRegistry } from './commands';
import { completion } from './completion';
import { DEFAULT_DIAGNOSTICS_DELAY_MS, DiagnosticsScheduler } from './diagnostics';
import { installGovernance } from './governance';
import { hover } from './hover';
import { definition, references } from './navigation';
import type { ServerHost } from './host';
import { WORKSPACE_FILES_NOTIFICATION, type WorkspaceFilesParams } from './workspaceFilesProtocol';
import { readSettings, sameSettings } from './settings';
import { ServerState } from './state';
import { VERSION } from '../version';
import { documentSymbols } from './symbols';
import { formatting } from './formatting';
import { prepareRename, rename } from './rename';
import { inlayHints } from './inlayHints';

export const SERVER_NAME = 'scim-agents';

export interface LanguageServerOptions {
  /** An existing connection (tests, embedding); by default one is created from the process arguments. */
  connection?: Connection;
  /** Command handlers to offer (defaults to the process-wide registry). */
  commands?: CommandRegistry;
}

export interface LanguageServer {
  connection: Connection;
  state: ServerState;
}

/** Options a client may pass in `initializationOptions`. */
interface InitOptions {
  workspaceTrusted?: boolean;
  /** Debounce of diagnostics after an edit, in ms (default 150). */
  diagnosticsDelayMs?: number;
}

/** The server on a platform (nodeHost.ts, browserMain.ts); the Node one is `startLanguageServer` in nodeHost.ts. */
export function startServer(host: ServerHost, options: LanguageServerOptions = {}): LanguageServer {
  const { readText, uriToPath } = host.files;
  const connection = options.connection ?? host.createConnection();
  const registry = options.commands ?? commands;
  if (registry === commands) registerBuiltinCommands();
  const documents = new TextDocuments(TextDocument);
  const state = new ServerState(documents);
  const provisioning = host.installProvisioning(connection, state, registry);
  const log = (message: string) => connection.console.log(message);
  installGovernance(connection, state);
  let scheduler = new DiagnosticsScheduler(connection, state);
  const serverSchemas = host.installServerSchemas(connection, registry, { state, endpointSettings: () => provisioning.endpointSettings(), revalidate: () => scheduler.runNow() });
  let folders: string[] = [];
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let canRegisterCommands = false;
  let canRegisterConfiguration = false;
  let renameAnnotations = false;
  let initialized = false;

  /** Runs a handler so that it can never take the server down: errors are logged, the result is empty. */
  function safe<P, R>(name: string, empty: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      if (token?.isCancellationRequested) return empty;
      try {
        const result = await handler(params, token);
        return token?.isCancellationRequested ? empty : result;
      } catch (e) {
        connection.console.error(`${name} failed: ${(e as Error).stack ?? String(e)}`);
        return empty;
      }
    };
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    canPullConfiguration = Boolean(caps.workspace?.configuration);
    canWatchFiles = Boolean(caps.workspace?.didChangeWatchedFiles?.dynamicRegistration);
    canRegisterCommands = Boolean(caps.workspace?.executeCommand?.dynamicRegistration);
    canRegisterConfiguration = Boolean(caps.workspace?.didChangeConfiguration?.dynamicRegistration);
    renameAnnotations = Boolean(caps.workspace?.workspaceEdit?.changeAnnotationSupport && caps.workspace.workspaceEdit.documentChanges);
    const init = (params.initializationOptions ?? {}) as InitOptions;
    provisioning.configure(params);
    state.workspaceTrusted = init.workspaceTrusted !== false;
    if (typeof init.diagnosticsDelayMs === 'number' && init.diagnosticsDelayMs >= 0) {
      scheduler.dispose();
      scheduler = new DiagnosticsScheduler(connection, state, init.diagnosticsDelayMs);
    }
    folders = (params.workspaceFolders ?? [])
      .map((f) => uriToPath(f.uri))
      .concat(params.workspaceFolders ? [] : [params.rootUri ? uriToPath(params.rootUri) : undefined])
      .filter((p): p is string => Boolean(p));
    // Messages name other files relative to these (the client's own URI spelling).
    state.index.setRoots((params.workspaceFolders ?? []).map((f) => f.uri).concat(!params.workspaceFolders && params.rootUri ? [params.rootUri] : []));
    const staticCommands = registry.ids();
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [':', ' ', '"', '-'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentSymbolProvider: { label: 'SCIM resources' },
        definitionProvider: true,
        referencesProvider: true,
        documentFormattingProvider: true,
        renameProvider: { prepareProvider: true },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(staticCommands.length > 0 || !canRegisterCommands ? { executeCommandProvider: { commands: staticCommands } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SERVER_NAME, version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    initialized = true;
    try {
      if (canRegisterConfiguration) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'scimAgents' });
      if (canWatchFiles) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{agent,agents}.{yaml,yml,json}' }],
        });
      }
      registry.onRegistered((id) => {
        if (canRegisterCommands) void connection.client.register(ExecuteCommandRequest.type, { commands: [id] });
      });
      await refreshSettings();
      await serverSchemas.useCached();
      await scanWorkspace(folders);
    } catch (e) {
      connection.console.error(`Initialisation failed: ${(e as Error).stack ?? String(e)}`);
    }
  });

  async function refreshSettings(pushed?: unknown): Promise<boolean> {
    let raw: unknown = pushed;
    if (canPullConfiguration) {
      try {
        raw = await connection.workspace.getConfiguration('scimAgents');
      } catch (e) {
        log(`Could not read the settings: ${(e as Error).message}`);
      }
    }
    const next = readSettings(raw);
    if (sameSettings(next, state.settings)) return false;
    state.applySettings(next);
    // The endpoint may have changed with the settings: its cached schemas, if any.
    await serverSchemas.useCached();
    return true;
  }

  async function scanWorkspace(roots: string[]): Promise<void> {
    const started = performance.now();
    let count = 0;
    for (const root of roots) {
      for (const uri of await host.files.scanFolder(root, state.settings.include)) {
        if (documents.get(uri)) continue;
        const text = await readText(uri);
        if (text === undefined) continue;
        state.setText(uri, text);
        count++;
      }
    }
    log(`Indexed ${count} manifest(s) from ${roots.length} folder(s) in ${Math.round(performance.now() - started)} ms.`);
    await scheduler.runNow();
  }

  // Documents ------------------------------------------------------------------
  documents.onDidOpen((e) => {
    state.analysis(e.document.uri);
    scheduler.schedule(e.document.uri);
  });
  documents.onDidChangeContent((e) => scheduler.schedule(e.document.uri));
  documents.onDidClose(async (e) => {
    const uri = e.document.uri;
    try {
      const onDisk = await readText(uri);
      const path = uriToPath(uri);
      const inWorkspace = path !== undefined && folders.some((f) => path.startsWith(f)) && host.files.isManifest(path.split(/[\\/]/).pop() ?? '', state.settings.include);
      if (onDisk !== undefined && inWorkspace) {
        state.setText(uri, onDisk);
        await scheduler.runNow([uri]);
      } else {
        state.remove(uri);
        scheduler.clear(uri);
        await scheduler.runNow([]);
      }
    } catch (err) {
      connection.console.error(`didClose failed: ${(err as Error).message}`);
    }
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    try {
      const changed: string[] = [];
      for (const change of params.changes) {
        if (documents.get(change.uri)) continue; // the editor's copy wins while open
        if (change.type === FileChangeType.Deleted) {
          if (state.remove(change.uri)) scheduler.clear(change.uri);
          continue;
        }
        const text = await readText(change.uri);
        if (text === undefined) continue;
        state.setText(change.uri, text);
        changed.push(change.uri);
      }
      await scheduler.runNow(changed);
    } catch (e) {
      connection.console.error(`didChangeWatchedFiles failed: ${(e as Error).message}`);
    }
  });

  // Only clients without a shared file system send these (browser.ts); the editor's copy wins while open.
  connection.onNotification(WORKSPACE_FILES_NOTIFICATION, async (params: WorkspaceFilesParams) => {
    try {
      host.files.received?.(params);
      const changed: string[] = [];
      for (const uri of params.deleted) if (!documents.get(uri) && state.remove(uri)) scheduler.clear(uri);
      for (const file of params.changed) {
        if (documents.get(file.uri)) continue;
        state.setText(file.uri, file.text);
        changed.push(file.uri);
      }
      await scheduler.runNow(changed);
    } catch (e) {
      connection.console.error(`${WORKSPACE_FILES_NOTIFICATION} failed: ${(e as Error).message}`);
    }
  });

  connection.onDidChangeConfiguration(async (params) => {
    try {
      const raw = (params.settings as Record<string, unknown> | undefined)?.scimAgents;
      if (await refreshSettings(raw)) await scheduler.runNow();
    } catch (e) {
      connection.console.error(`didChangeConfiguration failed: ${(e as Error).message}`);
    }
  });

  connection.onNotification('workspace/didChangeWorkspaceFolders', async (params: { event: { added: { uri: string }[]; removed: { uri: string }[] } }) => {
    try {
      const removed = params.event.removed.map((f) => uriToPath(f.uri)).filter((p): p is string => Boolean(p));
      const added = params.event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => Boolean(p));
      folders = folders.filter((f) => !removed.includes(f)).concat(added);
      for (const uri of state.index.uris()) {
        const p = uriToPath(uri);
        if (p && removed.some((r) => p.startsWith(r)) && !documents.get(uri) && state.remove(uri)) scheduler.clear(uri);
      }
      await scanWorkspace(added);
    } catch (e) {
      connection.console.error(`didChangeWorkspaceFolders failed: ${(e as Error).message}`);
    }
  });

  // Features ---------------------------------------------------------------------
  connection.onCompletion(safe('completion', { isIncomplete: false, items: [] }, (p) => completion(state, p)));
  connection.onHover(safe('hover', null, (p) => hover(state, p)));
  connection.onCodeAction(safe('codeAction', [], (p) => codeActions(state, p)));
  connection.onDocumentSymbol(safe('documentSymbol', [], (p) => documentSymbols(state, p)));
  connection.onDefinition(safe('definition', [], (p) => definition(state, p)));
  connection.onReferences(safe('references', [], (p) => references(state, p)));
  connection.onDocumentFormatting(safe('formatting', [], (p) => formatting(state, p)));
  // Not through safe(): a refusal (the cursor is not on a key, the new key is taken) is an
  // answer the editor shows, not an error to swallow.
  connection.languages.inlayHint.on(safe('inlayHint', [], (p) => inlayHints(state, p)));
  connection.onPrepareRename((p) => prepareRename(state, p));
  connection.onRenameRequest((p) => rename(state, p, renameAnnotations));
  connection.onExecuteCommand(async (params, token, progress) => {
    const handler = registry.get(params.command);
    if (!handler) throw new ResponseError(-32601, `Unknown command: ${params.command}`);
    try {
      return await handler(params.arguments ?? [], {
        connection,
        index: state.index,
        settings: state.settings,
        workspaceTrusted: state.workspaceTrusted,
        token,
        progress,
      });
    } catch (e) {
      connection.console.error(`Command ${params.command} failed: ${(e as Error).stack ?? String(e)}`);
      throw new ResponseError(-32603, `${params.command} failed: ${(e as Error).message}`);
    }
  });

  connection.onShutdown(() => scheduler.dispose());
  documents.listen(connection);
  connection.listen();
  void initialized;
  return { connection, state };
}

export { DEFAULT_DIAGNOSTICS_DELAY_MS };
export { registerCommand, type CommandContext, type CommandHandler } from './commands';
