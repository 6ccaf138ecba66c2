/**
 * The VS Code face of provisioning: Plan, Provision, Deprovision (active manifest, explorer
 * context menu, code lens), Set Endpoint Token, Sign Out. The work happens in the language
 * server's `scimAgents.plan|apply|deprovision` commands; this adds the token from SecretStorage,
 * the plan preview, the modal confirmation naming host and counts, and cancellable progress.
 *
 * Every command also takes an options object, for tests and other extensions, since modal
 * dialogs and input boxes cannot be answered by a script:
 *   { uri?, yes?: true (skip the confirmation), token? (use instead of the stored one; for
 *     Set Endpoint Token: the token to store), mode?: 'deactivate'|'delete', fallback?: 'linked-user' }
 * and returns the server's result.
 */
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  Trace,
  WorkDoneProgress,
  type LanguageClient,
  type WorkDoneProgressBegin,
  type WorkDoneProgressReport,
} from 'vscode-languageclient/node';
import {
  EDITOR_COMMANDS,
  SERVER_COMMANDS,
  type InitializationOptions,
  type PlanResult,
  type ProvisioningArgs,
  type ProvisionResult,
  type RefreshDirectoryResult,
  type RefreshSchemasResult,
  SETTINGS_SECTION,
} from '../../../server/src/lsp/protocol';
import { PLAN_SCHEME, PlanDocuments, summaryOf } from './planView';
import { configuredEndpoint, originOf, redact, TokenStore } from './secrets';
import { isLoopbackEndpoint, sandboxDataFolder, sandboxToken } from '../sandbox/localSandbox';
import { showFailure, failureOf } from './failures';

export interface CommandOptions {
  uri?: vscode.Uri | string;
  yes?: boolean;
  token?: string;
  mode?: 'deactivate' | 'delete';
  fallback?: 'linked-user';
}

export class ProvisioningCommands {
  private readonly tokens: TokenStore;
  readonly plans = new PlanDocuments();

  constructor(
    context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly client: () => Promise<LanguageClient>,
    /** Called after every command that talked to the endpoint (the status bar re-checks it). */
    private readonly onEndpointUsed: () => void = () => undefined,
  ) {
    this.tokens = new TokenStore(context.secrets);
  }

  async plan(arg?: unknown): Promise<PlanResult | undefined> {
    const options = optionsOf(arg);
    return this.guard(options, async () => {
      const prepared = await this.prepare(options);
      if (!prepared) return undefined;
      return (await this.planAndShow(prepared.uri, prepared.token, options)).plan;
    });
  }

  async apply(arg?: unknown): Promise<Pick<ProvisionResult, 'endpointHost' | 'counts' | 'cancelled' | 'text'> | undefined> {
    const options = optionsOf(arg);
    return this.guard(options, async () => {
      const prepared = await this.prepare(options);
      if (!prepared) return undefined;
      const { uri, token } = prepared;
      const { plan } = await this.planAndShow(uri, token, options);
      if (!plan.hasChanges) {
        void vscode.window.showInformationMessage(`Nothing to provision: ${summaryOf(plan)}.`);
        return {
          endpointHost: plan.endpointHost,
          counts: { applied: 0, unchanged: plan.counts.unchanged, failed: 0, skipped: plan.counts.cannotApply },
          cancelled: false,
          text: 'No changes to apply.',
        };
      }
      const n = plan.counts.create + plan.counts.update;
      if (!options.yes) {
        const answer = await vscode.window.showWarningMessage(
          `Provision ${n} change${n === 1 ? '' : 's'} to ${plan.endpointHost}?`,
          {
            modal: true,
            detail: `${plan.counts.create} to create, ${plan.counts.update} to update, ${plan.counts.unchanged} unchanged, ${plan.counts.cannotApply} cannot be applied. The plan is shown beside the manifest.`,
          },
          'Provision',
        );
        if (answer !== 'Provision') return undefined;
      }
      const result = await this.execute<ProvisionResult>(SERVER_COMMANDS.apply, `Provisioning to ${plan.endpointHost}`, { planId: plan.planId, token }, token);
      this.report('Provision', result, token);
      return result;
    });
  }

  async deprovision(arg?: unknown): Promise<ProvisionResult | undefined> {
    const options = optionsOf(arg);
    return this.guard(options, async () => {
      const prepared = await this.prepare(options);
      if (!prepared) return undefined;
      const { uri, token, endpoint } = prepared;
      const mode = options.mode === 'delete' ? 'delete' : 'deactivate';
      if (!options.yes) {
        const host = new URL(endpoint).host;
        const answer = await vscode.window.showWarningMessage(
          `${mode === 'delete' ? 'Delete' : 'Deactivate'} the resources of ${uri.path.split('/').pop()} on ${host}?`,
          { modal: true, detail: mode === 'delete' ? 'They are deleted from the server.' : 'They are set to active: false and read back to confirm.' },
          mode === 'delete' ? 'Delete' : 'Deactivate',
        );
        if (!answer) return undefined;
      }
      const result = await this.execute<ProvisionResult>(
        SERVER_COMMANDS.deprovision,
        'Deprovisioning',
        { uri: uri.toString(), token, endpoint, mode, ...(options.fallback ? { fallback: options.fallback } : {}) },
        token,
      );
      this.report('Deprovision', result, token);
      return result;
    });
  }

  /** Plans on the server, logs the plan and opens it as a preview: nothing is applied that was not shown. */
  private async planAndShow(uri: vscode.Uri, token: string, options: CommandOptions): Promise<{ plan: PlanResult; preview: vscode.Uri }> {
    const plan = await this.execute<PlanResult>(
      SERVER_COMMANDS.plan,
      'Planning',
      { uri: uri.toString(), token, endpoint: configuredEndpoint(), ...(options.fallback ? { fallback: options.fallback } : {}) },
      token,
    );
    this.output.info(redact(`${summaryOf(plan)}\n${plan.text}`, [token]));
    return { plan, preview: await this.plans.show(plan, uri) };
  }

  /**
   * Asks for the endpoint's token, checks it with an authenticated GET (the server's
   * scimAgents.verifyToken) and stores it only when the endpoint accepted it.
   */
  async setToken(arg?: unknown): Promise<boolean> {
    const options = optionsOf(arg);
    const endpoint = configuredEndpoint();
    const origin = originOf(endpoint);
    const local = isLoopbackEndpoint(endpoint);
    const where = local ? ` The local sandbox keeps its token in ${sandboxDataFolder() ?? '.scim-agents/sandbox'}/token and it is used without asking.` : '';
    const token =
      options.token ??
      (await vscode.window.showInputBox({
        title: `SCIM token for ${origin}`,
        prompt: `Bearer token for ${endpoint}. It is checked against the endpoint, then kept in VS Code's secret storage for this origin only.${where}`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'The token cannot be empty'),
      }));
    if (!token?.trim()) return false;
    /** Whether the endpoint accepted the token (false after Store Anyway). */
    let checked = true;
    try {
      await this.execute(SERVER_COMMANDS.verifyToken, `Checking the token with ${new URL(endpoint).host}`, { endpoint, token: token.trim() }, token.trim());
    } catch (error) {
      const failure = failureOf(error, [token]);
      this.output.warn(`The token was not stored: ${failure.message}`);
      if (options.yes) throw new Error(`The token was not stored: ${failure.message}`);
      if (failure.kind === 'auth') {
        void showFailure(`${failure.message} The token was not stored.`, failure.kind, endpoint);
        return false;
      }
      // The endpoint could not say (down, TLS): the user may still want to keep the token.
      const answer = await vscode.window.showWarningMessage(`Could not check the token: ${failure.message}`, 'Store Anyway', 'Cancel');
      if (answer !== 'Store Anyway') return false;
      checked = false;
    } finally {
      this.onEndpointUsed();
    }
    await this.tokens.store(origin, token.trim());
    this.output.info(`Stored a token for ${origin}${checked ? '' : ' (unchecked: the endpoint could not be reached)'}.`);
    if (!options.yes)
      void vscode.window.showInformationMessage(
        checked
          ? `SCIM Agents: the endpoint accepted the token; it is stored for ${origin}.`
          : `SCIM Agents: the token is stored unchecked for ${origin}; the endpoint could not say whether it is right.`,
      );
    return true;
  }

  /**
   * Lists the server's users and groups for owner completion and the server-backed owner checks
   * (their own diagnostics). Run on save (quiet: a log line when it cannot) and from the palette.
   */
  async refreshDirectory(arg?: unknown, quiet = false): Promise<RefreshDirectoryResult | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const endpoint = configuredEndpoint();
    const token = sandboxToken(endpoint) ?? (await this.tokens.get(originOf(endpoint)));
    if (!token) {
      if (!quiet) void showFailure(`No token for ${originOf(endpoint)}: set one to check owners against the server.`, 'auth', endpoint);
      return undefined;
    }
    if (quiet) {
      try {
        return await this.send<RefreshDirectoryResult>(SERVER_COMMANDS.refreshDirectory, { endpoint, token }, token);
      } catch (error) {
        this.output.info(`Owners not checked against the server: ${failureOf(error, [token]).message}`);
        return undefined;
      } finally {
        this.onEndpointUsed();
      }
    }
    return this.guard(optionsOf(arg), async () => {
      const r = await this.execute<RefreshDirectoryResult>(SERVER_COMMANDS.refreshDirectory, 'Reading users and groups', { endpoint, token }, token);
      void vscode.window.showInformationMessage(
        `SCIM Agents: ${r.endpointHost} has ${r.users} users and ${r.groups} groups; ${r.problems} owner problem${r.problems === 1 ? '' : 's'}.`,
      );
      return r;
    });
  }

  /**
   * A quiet, read-only plan of a manifest just opened, so its code lenses show its state (in
   * sync, drifted, not provisioned) instead of "state unknown". Only against the product's own
   * local sandbox, whose token is known from its data folder: another endpoint is read with the
   * user's token only when they ask (Plan).
   */
  async showStateOnOpen(doc: vscode.TextDocument): Promise<void> {
    if (!vscode.workspace.isTrusted || doc.uri.scheme !== 'file') return;
    const endpoint = configuredEndpoint();
    const token = sandboxToken(endpoint);
    if (!token) return;
    try {
      await this.send(SERVER_COMMANDS.plan, { uri: doc.uri.toString(), token, endpoint, lensesOnly: true }, token);
    } catch (error) {
      this.output.info(`The state of ${doc.uri.path.split('/').pop()} was not read: ${failureOf(error, [token]).message}`);
    } finally {
      this.onEndpointUsed();
    }
  }

  /** Fetches the endpoint's /Schemas and /ResourceTypes again for the `server` profile (cached on disk, never with the token). */
  async refreshSchemas(arg?: unknown): Promise<RefreshSchemasResult | undefined> {
    if (!vscode.workspace.isTrusted) {
      void showFailure('This workspace is not trusted: the server schemas are fetched only in a trusted workspace.', 'untrusted', configuredEndpoint());
      return undefined;
    }
    const endpoint = configuredEndpoint();
    const token = sandboxToken(endpoint) ?? (await this.tokens.get(originOf(endpoint)));
    if (!token) {
      void showFailure(`No token for ${originOf(endpoint)}: set one to read the server's schemas.`, 'auth', endpoint);
      return undefined;
    }
    return this.guard(optionsOf(arg), async () => {
      const r = await this.execute<RefreshSchemasResult>(SERVER_COMMANDS.refreshSchemas, "Reading the server's schemas", { endpoint, token }, token);
      void vscode.window.showInformationMessage(`SCIM Agents: the server profile now follows ${new URL(r.endpoint).host} (${r.resourceTypes.join(', ')}).`);
      return r;
    });
  }

  async signOut(arg?: unknown): Promise<void> {
    const options = optionsOf(arg);
    const origin = originOf(configuredEndpoint());
    await this.tokens.delete(origin);
    this.output.info(`Deleted the token for ${origin}.`);
    if (!options.yes) void vscode.window.showInformationMessage(`SCIM Agents: signed out of ${origin}.`);
  }

  /** Trust, the manifest, the endpoint and its token; a clear error when one is missing. */
  private async prepare(options: CommandOptions): Promise<{ uri: vscode.Uri; token: string; endpoint: string } | undefined> {
    if (!vscode.workspace.isTrusted) throw new Error('Provisioning needs a trusted workspace: this one is in Restricted Mode. Manifests are still validated.');
    const uri = typeof options.uri === 'string' ? vscode.Uri.parse(options.uri) : (options.uri ?? (await shownManifest()));
    if (!uri) throw new Error('Open a manifest (*.agent.yaml, *.agents.json…) or pick one in the explorer first.');
    const endpoint = configuredEndpoint();
    const origin = originOf(endpoint);
    // The product's own sandbox needs no prompt: its token is in its data folder (loopback only).
    let token = options.token ?? sandboxToken(endpoint) ?? (await this.tokens.get(origin));
    if (!token && !options.yes) {
      if (await this.setToken({})) token = await this.tokens.get(origin);
      else return undefined;
    }
    if (!token) throw Object.assign(new Error(`No token for ${origin}: set one with "Set Endpoint Token".`), { data: { kind: 'auth' } });
    return { uri, token, endpoint };
  }

  /** Sends a server command without progress UI (background checks). */
  private async send<R>(command: string, args: ProvisioningArgs, token: string): Promise<R> {
    const client = await this.client();
    try {
      return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args] })) as R;
    } catch (error) {
      throw commandError(error, token);
    }
  }

  /** Sends a server command with cancellable progress fed by the server's work-done reports. */
  private async execute<R>(command: string, title: string, args: ProvisioningArgs, token: string): Promise<R> {
    const client = await this.client();
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `SCIM Agents: ${title}`, cancellable: true },
      async (progress, cancel) => {
        const workDoneToken = `scim-agents-${Date.now()}-${Math.random().toString(36).slice(2)}`;
        let last = 0;
        const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
          if (value.kind === 'end') return;
          const v = value as WorkDoneProgressBegin | WorkDoneProgressReport;
          const increment = v.percentage !== undefined ? Math.max(0, v.percentage - last) : undefined;
          if (v.percentage !== undefined) last = v.percentage;
          progress.report({ ...(v.message ? { message: v.message } : {}), ...(increment !== undefined ? { increment } : {}) });
        });
        // The request carries the token: keep it out of the protocol trace (which goes to the output channel).
        const trace = client.traceOutputChannel && vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('trace.server', 'off') !== 'off';
        if (trace) await client.setTrace(Trace.Off);
        try {
          return (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [args], workDoneToken }, cancel)) as R;
        } catch (error) {
          throw commandError(error, token);
        } finally {
          sub.dispose();
          if (trace) await client.setTrace(Trace.fromString(vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('trace.server', 'off')));
        }
      },
    );
  }

  private report(what: string, result: ProvisionResult, token: string): void {
    const c = result.counts;
    const summary = `${what} on ${result.endpointHost}: ${c.applied} applied, ${c.unchanged} unchanged, ${c.failed} failed, ${c.skipped} skipped${result.cancelled ? ' (cancelled)' : ''}`;
    this.output.info(redact(`${summary}\n${result.text}`, [token]));
    if (c.failed > 0)
      void vscode.window.showErrorMessage(`${summary}. The errors are shown on the resources.`, 'Show Output').then((a) => a && this.output.show(true));
    else if (result.cancelled || c.skipped > 0) void vscode.window.showInformationMessage(`${summary}.`);
    // Short enough for a toast's one line: what was done, and that file and server agree.
    else void vscode.window.showInformationMessage(`${what}: ${c.applied} applied, ${c.unchanged} unchanged; in sync with ${result.endpointHost}.`);
  }

  /** Errors become one message in the user's words with the action that fixes it, and one log line; callers passing options (tests, extensions) get them thrown. */
  private async guard<T>(options: CommandOptions, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      const failure = failureOf(error, [options.token]);
      this.output.error(failure.message);
      if (options.yes) throw new Error(failure.message);
      void showFailure(failure.message, failure.kind, configuredEndpoint());
      return undefined;
    } finally {
      this.onEndpointUsed();
    }
  }
}

/** A server command's failure with the token redacted, keeping the failure kind the server sent. */
function commandError(error: unknown, token: string): Error {
  const data = (error as { data?: unknown }).data;
  return Object.assign(new Error(redact(error instanceof Error ? error.message : String(error), [token])), data ? { data } : {});
}

/** A Uri (explorer, editor title), an options object (tests, code lens: {uri: string}), or nothing. */
function optionsOf(arg: unknown): CommandOptions {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (arg && typeof arg === 'object') return arg as CommandOptions;
  return {};
}

export function registerProvisioningCommands(commands: ProvisioningCommands): vscode.Disposable[] {
  return [
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, commands.plans),
    commands.plans,
    vscode.commands.registerCommand(EDITOR_COMMANDS.plan, (arg) => commands.plan(arg)),
    vscode.commands.registerCommand(EDITOR_COMMANDS.apply, (arg) => commands.apply(arg)),
    vscode.commands.registerCommand(EDITOR_COMMANDS.deprovision, (arg) => commands.deprovision(arg)),
    vscode.commands.registerCommand(EDITOR_COMMANDS.setToken, (arg) => commands.setToken(arg)),
    vscode.commands.registerCommand(EDITOR_COMMANDS.signOut, (arg) => commands.signOut(arg)),
    vscode.commands.registerCommand(EDITOR_COMMANDS.refreshDirectory, (arg) => commands.refreshDirectory(arg)),
    vscode.commands.registerCommand(EDITOR_COMMANDS.refreshSchemas, (arg) => commands.refreshSchemas(arg)),
    // Server-backed checks run on save, never while typing.
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (isManifest(doc)) void commands.refreshDirectory(undefined, true);
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (isManifest(doc)) void commands.showStateOnOpen(doc);
    }),
    // The manifest whose opening activated the extension was opened before this listener.
    ...(vscode.workspace.textDocuments.filter(isManifest).forEach((doc) => void commands.showStateOnOpen(doc)), []),
  ];
}

function isManifest(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'scim-agents-yaml' || doc.languageId === 'scim-agents-json';
}

/** What the language server needs to know at initialize: its code lenses run our Plan command. */
export function provisioningInitOptions(): Pick<InitializationOptions, 'codeLensCommands'> {
  return { codeLensCommands: { plan: EDITOR_COMMANDS.plan } };
}

/**
 * The manifest the command is about when none is named: the active editor's, else the one
 * manifest on screen (focus in a panel, or the editor not yet reported active to the extension).
 */
function manifestOnScreen(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document;
  if (active) return active.uri;
  const shown = vscode.window.visibleTextEditors.map((e) => e.document).filter(isManifest);
  return shown.length === 1 ? shown[0]!.uri : undefined;
}

/**
 * How long a command waits for the workbench to report the editor it shows: the extension host
 * hears of an editor a moment after its tab is drawn (seen: a Plan run half a second after the
 * file opened, with the extension just activated by it, found no editor at all).
 */
const EDITOR_REPORT_MS = 2000;

/** manifestOnScreen, or, when there is none yet, the first one the workbench reports within EDITOR_REPORT_MS. */
function shownManifest(): Promise<vscode.Uri | undefined> {
  const now = manifestOnScreen();
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = (uri: vscode.Uri | undefined) => {
      clearTimeout(timer);
      for (const d of listeners) d.dispose();
      resolve(uri);
    };
    const look = () => {
      const uri = manifestOnScreen();
      if (uri) done(uri);
    };
    const listeners = [vscode.window.onDidChangeActiveTextEditor(look), vscode.window.onDidChangeVisibleTextEditors(look)];
    const timer = setTimeout(() => done(undefined), EDITOR_REPORT_MS);
  });
}
