/**
 * The users and groups a connected SCIM server has, for the owner checks and owner completion
 * of the editor: one listing of /Users and /Groups (bounded), turned into the rules' Directory.
 * A listing that stopped early (cap, misbehaving paging) is not a directory the rules may judge
 * by: an owner missing from part of a list is not known to be missing. It still feeds completion.
 */
import { endpointFor, type ScimResource } from '../scim';
import type { Directory, DirectoryEntry } from '../rules/types';
import { URN } from '../schema/types';
import type { Connection } from './connect';

/** Beyond this many users or groups the editor does not list a directory. */
export const MAX_DIRECTORY_ENTRIES = 5000;

export interface ServerDirectory {
  /** For the owner rules; undefined when either listing is incomplete or the server has no Users/Groups. */
  directory: Directory | undefined;
  users: DirectoryEntry[];
  groups: DirectoryEntry[];
  complete: boolean;
}

export function directoryEntry(r: ScimResource, key: string, group: boolean): DirectoryEntry {
  const entry: DirectoryEntry = { id: r.id, key, active: r.active !== false };
  if (group) entry.memberCount = Array.isArray(r.members) ? r.members.length : 0;
  return entry;
}

export async function fetchDirectory(conn: Connection, max = MAX_DIRECTORY_ENTRIES): Promise<ServerDirectory> {
  const usersEndpoint = endpointFor(conn.capabilities, URN.user);
  const groupsEndpoint = endpointFor(conn.capabilities, URN.group);
  const list = async (endpoint: string | undefined, attributes: string[]) =>
    endpoint ? conn.client.list(endpoint, { attributes, maxResources: max }) : { resources: [], complete: false, totalResults: undefined, requests: 0 };
  const [users, groups] = await Promise.all([list(usersEndpoint, ['userName', 'active']), list(groupsEndpoint, ['displayName', 'members'])]);
  const userEntries = users.resources.filter((r) => typeof r.userName === 'string').map((r) => directoryEntry(r, String(r.userName), false));
  const groupEntries = groups.resources.filter((r) => typeof r.displayName === 'string').map((r) => directoryEntry(r, String(r.displayName), true));
  const complete = users.complete && groups.complete;
  let directory: Directory | undefined;
  if (complete) {
    directory = { users: new Map(), groups: new Map() };
    for (const e of userEntries) directory.users.set(e.key.toLowerCase(), e).set(`\u0000id:${e.id}`, e);
    for (const e of groupEntries) directory.groups.set(e.key.toLowerCase(), e).set(`\u0000id:${e.id}`, e);
  }
  return { directory, users: userEntries, groups: groupEntries, complete };
}
