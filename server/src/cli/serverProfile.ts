/**
 * `lint --profile server`: the definitions the endpoint given by `--endpoint` serves, from the
 * schema cache or (first use, `--refresh-schemas`) from the endpoint itself. Without an endpoint
 * the profile is reported as unavailable on each resource that asks for it, never silently
 * replaced.
 */
import { ScimClient } from '../scim';
import { defaultSchemaCacheDir, loadServerProfile, type ServerProfileResult } from '../scim/schemaCache';
import type { WorkspaceIndex } from '../workspace/index';
import { endpointOptions, type EndpointValues } from './endpoint';
import { UsageError } from './files';
import type { CliIO } from './io';

export const SERVER_PROFILE_HELP = `  --refresh-schemas                 with --profile server: fetch /Schemas and /ResourceTypes
                                    again instead of using the cached copy`;

export async function applyServerProfile(
  index: WorkspaceIndex,
  values: EndpointValues & { profile?: string; 'refresh-schemas'?: boolean },
  io: CliIO,
): Promise<void> {
  const refresh = values['refresh-schemas'] === true;
  const wanted = values.profile === 'server' || refresh || index.resources().some((r) => r.serverUnavailable);
  if (!wanted) return;
  if (!values.endpoint) {
    if (refresh) throw new UsageError('--refresh-schemas needs --endpoint URL.');
    index.setServerProfile({ unavailable: 'no SCIM endpoint is configured (give --endpoint URL; the token comes from the environment)' });
    return;
  }
  try {
    new URL(values.endpoint);
  } catch {
    throw new UsageError(`--endpoint must be a URL, not "${values.endpoint.slice(0, 60)}".`);
  }
  // The client (and its token) is made only when the cache cannot answer.
  const state = await loadServerProfile(values.endpoint, () => new ScimClient({ ...endpointOptions(values, io), maxRetries: 3 }), {
    refresh,
    cacheDir: defaultSchemaCacheDir(io.env),
  });
  describe(state, io);
  index.setServerProfile(state);
}

function describe(state: ServerProfileResult, io: CliIO): void {
  if (!('profile' in state)) return;
  const p = state.profile;
  io.stderr(
    `scim-agents lint: server profile of ${p.endpoint} (${state.source === 'cache' ? `cached, fetched ${p.fetchedAt}` : 'fetched now'}; --refresh-schemas fetches again)\n`,
  );
  for (const note of p.notes) io.stderr(`  note: ${note}\n`);
}
