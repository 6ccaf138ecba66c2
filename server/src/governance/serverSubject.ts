/**
 * The server side of token correlation: `GET /Agents?filter=subject eq "<sub>"`. Only the
 * token's `sub` is sent, never the token. `subject` is compared exactly (caseExact), and every
 * hit is verified client-side as all lookups are (scim/lookup.ts).
 */
import { endpointHostOf, type Connection } from '../provision';
import { endpointFor, isScimError, supportsAgents } from '../scim';
import { URN } from '../schema/types';
import type { ServerSubjectResult } from './correlate';
import type { Inventory } from './types';

export async function lookupSubjectOnServer(conn: Connection, sub: string, inventory: Inventory): Promise<ServerSubjectResult> {
  const host = endpointHostOf(conn.client.baseUrl);
  const endpoint = supportsAgents(conn.capabilities) === false ? undefined : endpointFor(conn.capabilities, URN.agent);
  if (!endpoint) return { host, status: 'no-agent-type', matches: [], message: `${host} has no Agent resource type, so it cannot be asked for the subject.` };
  try {
    const hits = (await conn.client.findManyByAttribute(endpoint, 'subject', [sub], { caseExact: true })).get(sub) ?? [];
    return {
      host,
      status: 'ok',
      matches: hits.map((r) => {
        const ext = typeof r.externalId === 'string' ? r.externalId : undefined;
        const name = typeof r.name === 'string' ? r.name : undefined;
        const local = inventory.items.find(
          (i) => i.kind === 'Agent' && ((ext && i.externalId === ext) || (name && i.name.toLowerCase() === name.toLowerCase())),
        );
        return {
          id: r.id,
          ...(name ? { name } : {}),
          ...(typeof r.displayName === 'string' ? { displayName: r.displayName } : {}),
          ...(ext ? { externalId: ext } : {}),
          ...(typeof r.active === 'boolean' ? { active: r.active } : {}),
          ...(local ? { workspaceKey: local.key } : {}),
        };
      }),
    };
  } catch (e) {
    if (!isScimError(e)) throw e;
    return { host, status: 'error', matches: [], message: `Could not ask ${host} for the subject: ${e.message}` };
  }
}
