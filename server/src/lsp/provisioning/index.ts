/**
 * Provisioning in the language server: the `scimAgents.plan|apply|deprovision` commands, their
 * diagnostics (a source of the server's one publisher, next to lint's) and the per-resource code
 * lenses. `installProvisioning` is called once per server by server.ts, with that server's
 * registry: the handlers close over this server's state; `configure` reads what the client can
 * do at initialize.
 */
import { CodeLensRefreshRequest, type Connection, type InitializeParams } from 'vscode-languageserver';
import type { CommandRegistry } from '../commands';
import type { DiagnosticsPublisher } from '../diagnostics/publisher';
import { DID_CHANGE_ENDPOINT_NOTIFICATION, SERVER_COMMANDS, type InitializationOptions } from '../protocol';
import type { ServerState } from '../state';
import { codeLenses, type LensCommands } from './codeLens';
import { applyCommand, deprovisionCommand, planCommand, type ProvisioningDeps } from './commands';
import type { EndpointSettings, TrustedEndpoint } from './endpoint';
import { ProvisioningStore } from './store';
import { verifyTokenCommand } from './verifyToken';
import { refreshDirectoryCommand } from './directory';

export interface Provisioning {
  configure(params: InitializeParams): void;
  /** The endpoint settings provisioning uses (the server profile's schemas come from the same endpoint). */
  endpointSettings(): Promise<EndpointSettings>;
}

export function installProvisioning(
  connection: Connection,
  state: ServerState,
  registry: CommandRegistry,
  endpoint: TrustedEndpoint,
  diagnostics: DiagnosticsPublisher,
): Provisioning {
  let canRefreshLenses = false;
  const lensCommands: LensCommands = { plan: SERVER_COMMANDS.plan };
  const deps: ProvisioningDeps = {
    state,
    store: new ProvisioningStore(),
    diagnostics,
    // Never workspace/configuration: some editors answer it from the project's files.
    endpointSettings: async () => endpoint.current(),
    refreshLenses: () => {
      if (canRefreshLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
  };
  registry.register(SERVER_COMMANDS.plan, (args, ctx) => planCommand(args, ctx, deps));
  registry.register(SERVER_COMMANDS.apply, (args, ctx) => applyCommand(args, ctx, deps));
  registry.register(SERVER_COMMANDS.deprovision, (args, ctx) => deprovisionCommand(args, ctx, deps));
  registry.register(SERVER_COMMANDS.refreshDirectory, (args, ctx) => refreshDirectoryCommand(args, ctx, deps));
  registry.register(SERVER_COMMANDS.verifyToken, (args, ctx) => verifyTokenCommand(args, ctx, deps.endpointSettings));
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
      const init = (params.initializationOptions ?? {}) as { [K in keyof InitializationOptions]?: unknown };
      endpoint.setFromClient(init.endpoint);
      const plan = (init.codeLensCommands as { plan?: unknown } | undefined)?.plan;
      if (typeof plan === 'string' && plan) lensCommands.plan = plan;
    },
  };
}
