/**
 * VS Code adapter for SCIM Agents: starts the language server (dist/server.js, over IPC) for
 * manifests, shows its status, and owns the editor-only pieces (output channel, commands).
 * Every check lives in the server, so the editor, other LSP clients and the CLI agree.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  DID_CHANGE_ENDPOINT_NOTIFICATION,
  EDITOR_COMMANDS,
  INTERNAL_EDITOR_COMMANDS,
  STATUS_NOTIFICATION,
  type EndpointParams,
  type InitializationOptions,
  type StatusParams,
  SETTINGS_SECTION,
} from '../../server/src/lsp/protocol';
import { buildDocumentSelector, fileWatchers, includeGlobs } from './selector';
import { ManifestStatus } from './status';
import { ProvisioningCommands, provisioningInitOptions, registerProvisioningCommands } from './provisioning/commands';
import { configuredEndpoint, endpointSettings } from './provisioning/secrets';
import { showFailure } from './provisioning/failures';
import { registerGovernance } from './governance';
import { registerRuleHelp } from './ruleHelp';
import { LocalSandbox } from './sandbox/localSandbox';
import { EndpointStatus } from './sandbox/endpointStatus';
import { registerImportCommand } from './importCommand';
import { registerNewManifest } from './newManifest';
import { migrateRenamedSettings } from './settingsMigration';

/** What `activate` returns: lets tests and other extensions wait for the server. */
export interface ScimAgentsApi {
  /** Resolves when the language server has started (rejects if it could not). */
  readonly ready: Promise<void>;
  /** The profile and duration of a document's latest validation, once the server reported it. */
  status(uri: vscode.Uri): { profile: string; durationMs: number } | undefined;
}

const CLIENT_NAME = 'SCIM Agents';

let session: Session | undefined;

class Session implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private watchers: vscode.FileSystemWatcher[] = [];
  private restarting: Promise<void> = Promise.resolve();
  readonly status = new ManifestStatus();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {}

  /**
   * Starts (or restarts) the language client; serialised so two restarts never overlap. `first`
   * runs before the start, inside the same turn: a command or a code lens asking for the client
   * meanwhile waits for both instead of finding none.
   */
  restart(reason: string, first?: () => Promise<unknown>): Promise<void> {
    const next = this.restarting
      .catch(() => undefined)
      .then(async () => {
        await first?.();
        return this.startFresh(reason);
      });
    this.restarting = next;
    return next;
  }

  private async startFresh(reason: string): Promise<void> {
    await this.stopClient();
    this.status.starting();
    const serverModule = this.context.asAbsolutePath('dist/server.js');
    if (!fs.existsSync(serverModule)) {
      const message = `Language server not found at ${serverModule}; build it with "node esbuild.mjs".`;
      this.output.error(message);
      this.status.failed('language server missing');
      throw new Error(message);
    }
    this.output.info(`Starting the language server (${reason}).`);

    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: {
        module: serverModule,
        transport: TransportKind.ipc,
        options: { execArgv: ['--nolazy', '--inspect=6009'] },
      },
    };
    const globs = includeGlobs();
    this.watchers = fileWatchers(globs);
    const debug = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>('debug', false) === true;
    const initializationOptions: InitializationOptions = {
      workspaceTrusted: vscode.workspace.isTrusted,
      ruleHelpCommand: INTERNAL_EDITOR_COMMANDS.showRuleHelp,
      endpoint: endpointSettings(),
      ...(debug ? { debug } : {}),
      ...provisioningInitOptions(),
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: buildDocumentSelector(globs),
      synchronize: { configurationSection: SETTINGS_SECTION, fileEvents: this.watchers },
      initializationOptions,
      outputChannel: this.output,
      traceOutputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
    };

    const client = new LanguageClient(SETTINGS_SECTION, CLIENT_NAME, serverOptions, clientOptions);
    this.client = client;
    client.onNotification(STATUS_NOTIFICATION, (params: StatusParams) => this.status.update(params));
    try {
      await client.start();
      this.status.running();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.output.error(`The language server failed to start: ${message}`);
      this.status.failed('language server failed to start');
      throw err;
    }
  }

  /** Tells the running server the user's machine-scoped endpoint (the only one it takes from us). */
  sendEndpoint(): void {
    void this.client?.sendNotification(DID_CHANGE_ENDPOINT_NOTIFICATION, endpointSettings() satisfies EndpointParams).catch(() => undefined);
  }

  /** The running client, once any start or restart in progress has finished (provisioning commands). */
  async runningClient(): Promise<LanguageClient> {
    await this.restarting;
    if (!this.client) throw new Error('The SCIM Agents language server is not running; see the output.');
    return this.client;
  }

  private async stopClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    if (client) {
      try {
        await client.stop(5000);
      } catch (err) {
        this.output.warn(`Stopping the language server: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  async dispose(): Promise<void> {
    await this.stopClient();
    this.status.dispose();
  }
}

export function activate(context: vscode.ExtensionContext): ScimAgentsApi {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(output);
  const current = new Session(context, output);
  session = current;
  // Started first, before anything below can ask for the client (the state of a manifest already
  // open, a command): they wait for this start instead of finding no client. Settings still under
  // their old names are moved before the server first reads them (a few inspect() calls when
  // there is nothing to move).
  const ready = current.restart('activation', () => migrateRenamedSettings(context.extension, output));
  const sandbox = new LocalSandbox(context.asAbsolutePath('dist/cli.js'), output);
  const endpointStatus = new EndpointStatus(sandbox);
  const provisioning = new ProvisioningCommands(
    context,
    output,
    () => current.runningClient(),
    () => void endpointStatus.check(),
  );
  const sandboxCommand = (run: () => Promise<string | undefined>) => async () => {
    try {
      const said = await run();
      if (said) void vscode.window.showInformationMessage(`SCIM Agents: ${said}`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      output.error(message);
      void vscode.window.showErrorMessage(`SCIM Agents: ${message}`, 'Show Output').then((a) => a && output.show(true));
    } finally {
      void endpointStatus.check();
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(EDITOR_COMMANDS.restartServer, () => current.restart('restart requested')),
    vscode.commands.registerCommand(EDITOR_COMMANDS.showOutput, () => output.show(true)),
    registerRuleHelp(context),
    registerNewManifest(),
    sandbox,
    endpointStatus,
    sandbox.onDidChange(() => void endpointStatus.check()),
    vscode.commands.registerCommand(
      EDITOR_COMMANDS.startSandbox,
      sandboxCommand(async () => {
        // Its data folder is the workspace's by default, and a cloned repository chooses what is in it.
        if (!vscode.workspace.isTrusted) {
          void showFailure('The local sandbox starts only in a trusted workspace: this one is in Restricted Mode.', 'untrusted', configuredEndpoint());
          return undefined;
        }
        const said = await sandbox.start();
        void provisioning.refreshDirectory(undefined, true);
        return said;
      }),
    ),
    vscode.commands.registerCommand(
      EDITOR_COMMANDS.stopSandbox,
      sandboxCommand(() => sandbox.stop()),
    ),
    vscode.commands.registerCommand(EDITOR_COMMANDS.endpointActions, () => endpointStatus.actions()),
    ...registerProvisioningCommands(provisioning),
    ...registerGovernance(context, output, () => current.runningClient()),
    registerImportCommand(context, output, () => current.runningClient()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      // The document selector is fixed for a client's lifetime: a new include list needs a new client.
      if (e.affectsConfiguration('SCIMAgents.files.include')) void current.restart('SCIMAgents.files.include changed').catch(() => undefined);
      else if (e.affectsConfiguration('SCIMAgents.endpoint')) {
        current.sendEndpoint();
        void endpointStatus.check();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      if (includeGlobs().length > 0) void current.restart('workspace folders changed').catch(() => undefined);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void current.restart('workspace trusted').catch(() => undefined)),
  );

  ready.catch(() => undefined); // reported in the output channel and the status item
  // Owners against the server once it is known (quiet: nothing is shown when there is no endpoint).
  void ready.then(() => provisioning.refreshDirectory(undefined, true)).catch(() => undefined);
  return {
    ready,
    status: (uri) => {
      const entry = current.status.get(uri);
      return entry && { profile: entry.profile, durationMs: entry.durationMs };
    },
  };
}

export async function deactivate(): Promise<void> {
  const current = session;
  session = undefined;
  await current?.dispose();
}
