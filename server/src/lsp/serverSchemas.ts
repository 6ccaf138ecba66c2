/**
 * The `server` profile in the editor. As the user types, only the schema cache is read (no
 * request leaves the editor); `scimAgents.refreshSchemas` fetches /Schemas and /ResourceTypes
 * from the endpoint on command, caches them and revalidates. Arguments: one optional object
 * {endpoint?, token?}, as the provisioning commands take them (the VS Code client adds the token).
 */
import { ScimClient } from '../scim';
import { defaultSchemaCacheDir, loadServerProfile } from '../scim/schemaCache';
import type { CommandContext, CommandRegistry } from './commands';
import { SERVER_COMMANDS, type RefreshSchemasResult } from './protocol';
import { ProvisioningError, resolveAuth, resolveEndpoint, type EndpointSettings } from './provisioning/endpoint';
import type { ServerState } from './state';

interface Deps {
  state: ServerState;
  endpointSettings: () => Promise<EndpointSettings>;
  /** Publishes diagnostics again once the profile changed. */
  revalidate: () => Promise<void>;
}

export interface ServerSchemas {
  /** Reads the cached definitions of the configured endpoint (never the network). */
  useCached(): Promise<void>;
}

export function installServerSchemas(registry: CommandRegistry, deps: Deps): ServerSchemas {
  registry.register(SERVER_COMMANDS.refreshSchemas, (args, ctx) => refreshCommand(args, ctx, deps));
  return {
    async useCached() {
      let baseUrl: string;
      try {
        baseUrl = resolveEndpoint(undefined, await deps.endpointSettings());
      } catch (e) {
        deps.state.applyServerProfile({ unavailable: (e as Error).message.replace(/\.$/, '') });
        return;
      }
      const result = await loadServerProfile(baseUrl, unreachable, { offline: true, cacheDir: defaultSchemaCacheDir() });
      deps.state.applyServerProfile(result);
    },
  };
}

function unreachable(): never {
  throw new Error('offline');
}

async function refreshCommand(args: unknown[], ctx: CommandContext, deps: Deps): Promise<RefreshSchemasResult> {
  if (!ctx.workspaceTrusted) throw new ProvisioningError('This workspace is not trusted: the server schemas are fetched only in a trusted workspace.');
  const first = (args[0] ?? {}) as { endpoint?: unknown; token?: unknown };
  if (typeof first !== 'object' || first === null || Array.isArray(first))
    throw new ProvisioningError('The command takes one optional argument object: {endpoint?, token?}.');
  const baseUrl = resolveEndpoint(first.endpoint, await deps.endpointSettings());
  const { auth } = resolveAuth(first.token);
  const result = await loadServerProfile(baseUrl, () => new ScimClient({ baseUrl, auth, maxRetries: 3 }), { refresh: true, cacheDir: defaultSchemaCacheDir() });
  if (!('profile' in result)) throw new ProvisioningError(`Could not refresh the server schemas: ${result.unavailable}.`);
  deps.state.applyServerProfile(result);
  await deps.revalidate();
  const p = result.profile;
  return { endpoint: p.endpoint, fetchedAt: p.fetchedAt, resourceTypes: p.resourceTypes.map((rt) => rt.name), notes: p.notes };
}
