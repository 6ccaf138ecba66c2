import { labelOf } from '../workspace/index';
import { commands } from './commands';

export const SERVER_INFO_COMMAND = 'scimAgents.serverInfo';

/**
 * Commands the server itself offers. `scimAgents.serverInfo` reports the index (files,
 * resources by type), for clients and for checking the server from a script.
 */
export function registerBuiltinCommands(): void {
  if (commands.get(SERVER_INFO_COMMAND)) return;
  commands.register(SERVER_INFO_COMMAND, (_args, ctx) => {
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
