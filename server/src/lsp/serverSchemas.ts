/**
 * The `server` profile in the editor. As the user types, only the schema cache is read (no
 * request leaves the editor); `scimAgents.refreshSchemas` fetches /Schemas and /ResourceTypes
 * from the endpoint on command, caches them and revalidates. Arguments: one optional object
 * {endpoint?, token?}, as the provisioning commands take them (the VS Code client adds the token).
 */
import type { Connection } from 'vscode-languageserver';
import { ScimClient } from '../scim';
import { defaultSchemaCacheDir, loadServerProfile } from '../scim/schemaCache';
import type { CommandContext, CommandRegistry } from './commands';
import { ProvisioningError, resolveAuth, resolveEndpoint, type EndpointSettings } from './provisioning/endpoint';
import type { ServerState } from './state';

export const REFRESH_SCHEMAS_COMMAND = 'scimAgents.refreshSchemas';

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

/** The registry is process-wide; handlers find their server's state by its connection. */
const servers = new WeakMap<Connection, Deps>();

export function installServerSchemas(connection: Connection, registry: CommandRegistry, deps: Deps): ServerSchemas {
  servers.set(connection, deps);
  if (!registry.get(REFRESH_SCHEMAS_COMMAND)) registry.register(REFRESH_SCHEMAS_COMMAND, refreshCommand);
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

async function refreshCommand(args: unknown[], ctx: CommandContext): Promise<unknown> {
  const deps = servers.get(ctx.connection);
  if (!deps) throw new Error('server schemas are not installed on this connection');
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
