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
import { DocumentChanges } from './documentChanges';
import { registerBuiltinCommands } from './builtinCommands';
import { codeActions } from './codeActions';
import { CommandRegistry } from './commands';
import { completion } from './completion';
import { DiagnosticsPublisher } from './diagnostics/publisher';
import { DEFAULT_DIAGNOSTICS_DELAY_MS, DiagnosticsScheduler } from './diagnostics/scheduler';
import { installGovernance } from './governance';
import { hover } from './hover';
import { withRuleDocs } from './ruleHover';
import { definition, references } from './navigation';
import type { ServerHost } from './host';
import { WORKSPACE_FILES_NOTIFICATION, type InitializationOptions, type WorkspaceFilesParams, SETTINGS_SECTION } from './protocol';
import { configurationItem, FolderSettings, readSettings } from './settings';
import { ServerState } from './state';
import { VERSION } from '../version';
import { MANIFEST_GLOB } from '../manifest/fileNames';
import { CONFIG_GLOB } from '../config/types';
import { documentSymbols } from './symbols';
import { formatting } from './formatting';
import { prepareRename, rename } from './rename';
import { inlayHints } from './inlayHints';
import { SEMANTIC_TOKENS_PROVIDER, semanticTokens } from './semanticTokens';
import { ProvisioningError, TrustedEndpoint } from './provisioning/endpoint';
import { ConfigWatcher, isConfigUri, ProjectConfigs } from './projectConfig';
import { warmUp } from './warmup';

export const SERVER_NAME = 'scim-agents';

export interface LanguageServerOptions {
  /** An existing connection (tests, embedding); by default one is created from the process arguments. */
  connection?: Connection;
}

export interface LanguageServer {
  connection: Connection;
  state: ServerState;
}

/** The heap in use where the platform says (Node), else 0 (a Web Worker has no `process`). */
const heapUsed = (): number => (typeof process !== 'undefined' && typeof process.memoryUsage === 'function' ? process.memoryUsage().heapUsed : 0);

/** JSON-RPC RequestFailed: the request was valid but failed (LSP 3.17). */
const REQUEST_FAILED = -32803;

/** The server on a platform (nodeHost.ts, browserMain.ts); the Node one is `startLanguageServer` in nodeHost.ts. */
export function startServer(host: ServerHost, options: LanguageServerOptions = {}): LanguageServer {
  const { readText, uriToPath } = host.files;
  const connection = options.connection ?? host.createConnection();
  const registry = new CommandRegistry();
  registerBuiltinCommands(registry);
  host.registerCommands?.(registry);
  const changes = new DocumentChanges();
  const documents = new TextDocuments(changes.configuration);
  const state = new ServerState(documents, changes);
  const endpoint = new TrustedEndpoint();
  const diagnostics = new DiagnosticsPublisher(
    (params) => connection.sendDiagnostics(params),
    (uri) => state.index.get(uri)?.manifest.text,
  );
  const provisioning = host.installProvisioning(connection, state, registry, endpoint, diagnostics);
  const log = (message: string) => connection.console.log(message);
  installGovernance(connection, state, endpoint);
  let scheduler = new DiagnosticsScheduler(connection, state, diagnostics);
  const serverSchemas = host.installServerSchemas(registry, {
    state,
    endpointSettings: () => provisioning.endpointSettings(),
    revalidate: () => scheduler.runNow(),
  });
  let folders: string[] = [];
  /** The workspace folders as the client spells their URIs: the scopes settings are asked for. */
  let folderUris: string[] = [];
  const configWatcher = new ConfigWatcher(
    new ProjectConfigs(
      connection,
      documents,
      () => folders,
      (uri) => state.settingsFor(uri),
    ),
    (c) => state.setConfigSource(c),
    () => scheduler.runNow(),
  );
  let canPullConfiguration = false;
  let canWatchFiles = false;
  let canRegisterCommands = false;
  let canRegisterConfiguration = false;
  let renameAnnotations = false;
  let debug = process.env.SCIM_AGENTS_DEBUG === '1';
  /** A failure for the log: its message, and its stack only when debugging. */
  const describe = (e: unknown) => (debug && e instanceof Error && e.stack ? e.stack : e instanceof Error ? e.message : String(e));

  /** Runs a handler so that it can never take the server down: errors are logged, the result is empty. */
  function safe<P, R>(name: string, empty: R, handler: (params: P, token: CancellationToken) => R | Promise<R>) {
    return async (params: P, token: CancellationToken): Promise<R> => {
      if (token?.isCancellationRequested) return empty;
      try {
        const result = await handler(params, token);
        return token?.isCancellationRequested ? empty : result;
      } catch (e) {
        connection.console.error(`${name} failed: ${describe(e)}`);
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
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (init.debug === true) debug = true;
    provisioning.configure(params);
    state.workspaceTrusted = init.workspaceTrusted === true;
    if (typeof init.ruleHelpCommand === 'string') state.ruleHelpCommand = init.ruleHelpCommand;
    if (typeof init.diagnosticsDelayMs === 'number' && init.diagnosticsDelayMs >= 0) {
      scheduler.dispose();
      scheduler = new DiagnosticsScheduler(connection, state, diagnostics, init.diagnosticsDelayMs);
    }
    folders = (params.workspaceFolders ?? [])
      .map((f) => uriToPath(f.uri))
      .concat(params.workspaceFolders ? [] : [params.rootUri ? uriToPath(params.rootUri) : undefined])
      .filter((p): p is string => Boolean(p));
    folderUris = (params.workspaceFolders ?? []).map((f) => f.uri).concat(!params.workspaceFolders && params.rootUri ? [params.rootUri] : []);
    // Messages name other files relative to these (the client's own URI spelling).
    state.index.setRoots(folderUris);
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
        semanticTokensProvider: SEMANTIC_TOKENS_PROVIDER,
        codeLensProvider: { resolveProvider: false },
        ...(staticCommands.length > 0 || !canRegisterCommands ? { executeCommandProvider: { commands: staticCommands } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SERVER_NAME, version: VERSION },
    };
  });

  // A file opened before the settings of its folder are read would be published once with the
  // defaults, then again with its folder's severities: validation waits for the first reading.
  let settingsKnown: () => void = () => undefined;
  const settingsRead = new Promise<void>((resolve) => (settingsKnown = resolve));

  connection.onInitialized(async () => {
    try {
      // Sent in this order (the client handles the registrations before it answers the settings
      // request, so no change falls between them), but not one after another's answer: a file
      // opened at start waits for the settings, not for three round trips.
      const registrations = Promise.all([
        canRegisterConfiguration ? connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION }) : undefined,
        canWatchFiles
          ? connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: MANIFEST_GLOB }, { globPattern: CONFIG_GLOB }] })
          : undefined,
      ]);
      registry.onRegistered((id) => {
        if (canRegisterCommands) void connection.client.register(ExecuteCommandRequest.type, { commands: [id] });
      });
      await refreshSettings().finally(settingsKnown);
      // After the settings (the right profile), and behind a file opened meanwhile: each step
      // takes a turn of the event loop, which outgoing messages also wait for.
      void warmUp(
        () => state.windowSettings.profile,
        () => shutDown,
      ).catch(() => undefined);
      await registrations;
      await serverSchemas.useCached();
      await scanWorkspace(folderUris);
    } catch (e) {
      connection.console.error(`Initialisation failed: ${describe(e)}`);
    } finally {
      settingsKnown();
    }
  });

  /**
   * Reads the settings of the window and of each workspace folder (one `workspace/configuration`
   * request; a client that cannot answer it has the settings it pushed apply everywhere, and
   * without a push keeps the ones it had) and returns the files whose settings changed.
   */
  async function refreshSettings(pushed?: { settings: unknown }): Promise<string[]> {
    let next = new FolderSettings(pushed ? readSettings(pushed.settings) : state.windowSettings);
    if (canPullConfiguration) {
      const scopes = [undefined, ...folderUris];
      try {
        const answers: unknown[] = await connection.workspace.getConfiguration(scopes.map(configurationItem));
        next = new FolderSettings(
          readSettings(answers[0]),
          folderUris.map((uri, i) => [uri, readSettings(answers[i + 1])]),
        );
      } catch (e) {
        log(`Could not read the settings: ${(e as Error).message}`);
      }
    }
    if (next.equals(state.allSettings)) return [];
    // Set settings are the configuration's flags: read again before any file is bound again.
    configWatcher.configs.reset();
    const affected = state.applySettings(next);
    // The endpoint may have changed with the settings: its cached schemas, if any.
    await serverSchemas.useCached();
    return affected;
  }

  /** Indexes the manifests of workspace folders (their URIs), each with its own settings' `include` globs. */
  async function scanWorkspace(rootUris: string[]): Promise<void> {
    const roots = rootUris.map((uri) => ({ uri, path: uriToPath(uri) })).filter((r): r is { uri: string; path: string } => r.path !== undefined);
    const started = performance.now();
    const heapBefore = heapUsed();
    let count = 0;
    log(`Indexing manifests of ${roots.length} folder(s).`);
    scheduler.setIndexing(true);
    try {
      const seen = new Set<string>();
      for (const root of roots) {
        for (const uri of await host.files.scanFolder(root.path, state.settingsFor(root.uri).include, state.workspaceTrusted, seen, log)) {
          if (documents.get(uri)) continue;
          const text = await readText(uri, [root.path]);
          if (text === undefined) continue;
          state.setText(uri, text);
          count++;
        }
      }
    } finally {
      scheduler.setIndexing(false);
    }
    const heapMb = (heapUsed() - heapBefore) / 1048576;
    const perFile = count > 0 ? `, ${Math.round((heapMb * 1024) / count)} KB of heap per file` : '';
    log(
      `Indexed ${count} manifest(s) from ${roots.length} folder(s) in ${Math.round(performance.now() - started)} ms (${state.index.size} in the index${perFile}).`,
    );
    await scheduler.runNow();
    await configWatcher.configs.publishProblems();
  }

  // Documents ------------------------------------------------------------------
  // An opened file is validated at once, ahead of the workspace scan and any background work.
  // TextDocuments reports an opened document's content as a change too: that version is
  // validated at once by the open, not again after the debounce.
  const justOpened = new Map<string, number>();
  documents.onDidOpen((e) => {
    if (isConfigUri(e.document.uri)) return configWatcher.schedule();
    justOpened.set(e.document.uri, e.document.version);
    void settingsRead.then(() => scheduler.validateFirst(e.document.uri));
  });
  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    if (isConfigUri(uri)) return configWatcher.schedule();
    const opened = justOpened.get(uri);
    justOpened.delete(uri);
    if (opened === e.document.version) return;
    void settingsRead.then(() => scheduler.schedule(uri));
  });
  /**
   * Whether a file is one the workspace scan indexes: under a workspace folder, at a path the
   * scan enters, named as a manifest or matched by the folder's `include` globs (when trusted).
   */
  const isWorkspaceManifest = (uri: string): boolean => {
    const rel = state.index.pathInRoot(uri);
    return rel !== undefined && host.files.isManifest(rel, state.settingsFor(uri).include, state.workspaceTrusted);
  };
  documents.onDidClose(async (e) => {
    const uri = e.document.uri;
    changes.forget(uri);
    if (isConfigUri(uri)) return configWatcher.schedule();
    try {
      const onDisk = await readText(uri, folders);
      if (onDisk !== undefined && isWorkspaceManifest(uri)) {
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
      let configChanged = false;
      for (const change of params.changes) {
        if (isConfigUri(change.uri)) {
          configChanged = true;
          continue;
        }
        if (documents.get(change.uri)) continue; // the editor's copy wins while open
        if (change.type === FileChangeType.Deleted) {
          if (state.remove(change.uri)) scheduler.clear(change.uri);
          continue;
        }
        // The watcher's glob is the manifest names anywhere: a file the scan would not index
        // (node_modules after an install, dist/ after a build) is not indexed when it appears.
        if (!isWorkspaceManifest(change.uri)) continue;
        const text = await readText(change.uri, folders);
        if (text === undefined) continue;
        state.setText(change.uri, text);
        changed.push(change.uri);
      }
      if (configChanged) await configWatcher.changed();
      else await scheduler.runNow(changed);
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
      const affected = await refreshSettings({ settings: raw });
      if (affected.length === 0) return;
      // Only the files whose folder's settings changed are validated again ahead of other work.
      await scheduler.runNow(affected);
      await configWatcher.configs.publishProblems();
      log(`Settings changed: validated ${affected.length} file(s) again.`);
    } catch (e) {
      connection.console.error(`didChangeConfiguration failed: ${(e as Error).message}`);
    }
  });

  connection.onNotification('workspace/didChangeWorkspaceFolders', async (params: { event: { added: { uri: string }[]; removed: { uri: string }[] } }) => {
    try {
      const removed = params.event.removed.map((f) => uriToPath(f.uri)).filter((p): p is string => Boolean(p));
      const added = params.event.added.map((f) => uriToPath(f.uri)).filter((p): p is string => Boolean(p));
      folders = folders.filter((f) => !removed.includes(f)).concat(added);
      const removedUris = new Set(params.event.removed.map((f) => f.uri));
      folderUris = folderUris.filter((u) => !removedUris.has(u)).concat(params.event.added.map((f) => f.uri));
      state.index.setRoots(folderUris);
      configWatcher.configs.reset();
      // The new folders' settings, and those of files that were in a removed folder.
      await refreshSettings();
      for (const uri of state.index.uris()) {
        const p = uriToPath(uri);
        if (p && removed.some((r) => p.startsWith(r)) && !documents.get(uri) && state.remove(uri)) scheduler.clear(uri);
      }
      await scanWorkspace(params.event.added.map((f) => f.uri));
    } catch (e) {
      connection.console.error(`didChangeWorkspaceFolders failed: ${(e as Error).message}`);
    }
  });

  // Features ---------------------------------------------------------------------
  connection.onCompletion(safe('completion', { isIncomplete: false, items: [] }, (p) => completion(state, p)));
  connection.onHover(safe('hover', null, (p) => withRuleDocs(state, p, hover(state, p))));
  connection.onCodeAction(safe('codeAction', [], (p) => codeActions(state, p)));
  connection.onDocumentSymbol(safe('documentSymbol', [], (p) => documentSymbols(state, p)));
  connection.onDefinition(safe('definition', [], (p) => definition(state, p)));
  connection.onReferences(safe('references', [], (p) => references(state, p)));
  connection.onDocumentFormatting(safe('formatting', [], (p) => formatting(state, p)));
  connection.languages.semanticTokens.on(safe('semanticTokens', { data: [] }, (p) => semanticTokens(state, p)));
  connection.languages.semanticTokens.onRange(safe('semanticTokens', { data: [] }, (p) => semanticTokens(state, p)));
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
        settings: state.windowSettings,
        workspaceTrusted: state.workspaceTrusted,
        token,
        progress,
      });
    } catch (e) {
      // A failure the user can cause and fix: one line in the log, the message as it is (in their
      // words) and its kind, so that the client can offer the action that fixes it.
      if (e instanceof ProvisioningError) {
        connection.console.warn(e.message);
        throw new ResponseError(REQUEST_FAILED, e.message, { kind: e.kind });
      }
      connection.console.error(`Command ${params.command} failed: ${describe(e)}`);
      throw new ResponseError(-32603, `Internal error: ${(e as Error).message} (see the SCIM Agents output)`);
    }
  });

  let shutDown = false;
  connection.onShutdown(() => {
    shutDown = true;
    scheduler.dispose();
    configWatcher.dispose();
  });
  documents.listen(connection);
  connection.listen();
  return { connection, state };
}

export { DEFAULT_DIAGNOSTICS_DELAY_MS };
