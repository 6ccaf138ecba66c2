import { labelOf } from '../workspace/index';
import type { CommandRegistry } from './commands';
import { SERVER_COMMANDS, type ServerInfoResult } from './protocol';

/**
 * Commands the server itself offers. `scimAgents.serverInfo` reports the index (files,
 * resources by type), for clients and for checking the server from a script.
 */
export function registerBuiltinCommands(registry: CommandRegistry): void {
  registry.register(SERVER_COMMANDS.serverInfo, (_args, ctx): ServerInfoResult => {
    const byType: Record<string, number> = {};
    for (const r of ctx.index.resources()) byType[r.resourceType?.name ?? 'unknown'] = (byType[r.resourceType?.name ?? 'unknown'] ?? 0) + 1;
    return {
      files: ctx.index.uris().length,
      resources: byType,
      profile: ctx.settings.profile,
      workspaceTrusted: ctx.workspaceTrusted,
      labels: ctx.index.resources().slice(0, 50).map(labelOf),
    };
  });
}
