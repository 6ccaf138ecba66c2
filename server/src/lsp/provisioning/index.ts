/**
 * Provisioning in the language server: the `scimAgents.plan|apply|deprovision` commands, their
 * diagnostics (merged with lint's) and the per-resource code lenses. `installProvisioning` is
 * called once per server by server.ts; `configure` reads what the client can do at initialize.
 */
import { CodeLensRefreshRequest, type Connection, type InitializeParams } from 'vscode-languageserver';
import type { CommandContext, CommandRegistry } from '../commands';
import type { ServerState } from '../state';
import { codeLenses, type LensCommands } from './codeLens';
import { APPLY_COMMAND, applyCommand, DEPROVISION_COMMAND, deprovisionCommand, PLAN_COMMAND, planCommand, type ProvisioningDeps } from './commands';
import { ProvisionDiagnostics } from './diagnostics';
import { DID_CHANGE_ENDPOINT_NOTIFICATION, type EndpointSettings, type TrustedEndpoint } from './endpoint';
import { ProvisioningStore } from './store';
import { VERIFY_TOKEN_COMMAND, verifyTokenCommand } from './verifyToken';
import { REFRESH_DIRECTORY_COMMAND, refreshDirectoryCommand } from './directory';

export interface Provisioning {
  configure(params: InitializeParams): void;
  /** The endpoint settings provisioning uses (the server profile's schemas come from the same endpoint). */
  endpointSettings(): Promise<EndpointSettings>;
}

/** Options the client may pass in `initializationOptions` for provisioning. */
interface ProvisioningInitOptions {
  /** Command ids code lenses should run (VS Code maps them to its own commands, which add the token and UI). */
  codeLensCommands?: { plan?: unknown };
  /** The user's machine-scoped endpoint setting ({url?, allowInsecureHttp?}); later changes come as scimAgents/didChangeEndpoint. */
  endpoint?: unknown;
}

/** The registry is process-wide; handlers find their server's state by its connection. */
const servers = new WeakMap<Connection, ProvisioningDeps>();

export function installProvisioning(connection: Connection, state: ServerState, registry: CommandRegistry, endpoint: TrustedEndpoint): Provisioning {
  let canRefreshLenses = false;
  const lensCommands: LensCommands = { plan: PLAN_COMMAND };
  const deps: ProvisioningDeps = {
    state,
    store: new ProvisioningStore(),
    diagnostics: new ProvisionDiagnostics(connection, (uri) => state.index.get(uri)?.manifest.text),
    // Never workspace/configuration: some editors answer it from the project's files.
    endpointSettings: async () => endpoint.current(),
    refreshLenses: () => {
      if (canRefreshLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
  };
  servers.set(connection, deps);
  const on = (run: (args: unknown[], ctx: CommandContext, deps: ProvisioningDeps) => unknown) => (args: unknown[], ctx: CommandContext) => {
    const own = servers.get(ctx.connection);
    if (!own) throw new Error('provisioning is not installed on this connection');
    return run(args, ctx, own);
  };
  for (const [id, run] of [
    [PLAN_COMMAND, planCommand],
    [APPLY_COMMAND, applyCommand],
    [DEPROVISION_COMMAND, deprovisionCommand],
    [REFRESH_DIRECTORY_COMMAND, refreshDirectoryCommand],
  ] as const) {
    if (!registry.get(id)) registry.register(id, on(run));
  }
  if (!registry.get(VERIFY_TOKEN_COMMAND))
    registry.register(
      VERIFY_TOKEN_COMMAND,
      on((args, ctx, own) => verifyTokenCommand(args, ctx, own.endpointSettings)),
    );
  connection.onNotification(DID_CHANGE_ENDPOINT_NOTIFICATION, (params: unknown) => endpoint.setFromClient(params));
  connection.onCodeLens((params) => {
    try {
      return codeLenses(state, deps.store, lensCommands, params);
    } catch (e) {
      connection.console.error(`codeLens failed: ${(e as Error).message}`);
      return [];
    }
  });
  return {
    endpointSettings: () => deps.endpointSettings(),
    configure(params) {
      canRefreshLenses = Boolean(params.capabilities.workspace?.codeLens?.refreshSupport);
      const init = (params.initializationOptions ?? {}) as ProvisioningInitOptions;
      endpoint.setFromClient(init.endpoint);
      const plan = init.codeLensCommands?.plan;
      if (typeof plan === 'string' && plan) lensCommands.plan = plan;
    },
  };
}
