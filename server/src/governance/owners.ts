/**
 * Owners as the audit shows them: each reference, what it names, and whether it still counts
 * (the same judgement as rules owner-unresolved and owner-orphaned: analysis/owners.ts).
 */
import type { BoundResource } from '../model/bind';
import { ownerTargets } from '../rules/analysis/owners';
import type { Directory, DirectoryEntry } from '../rules/types';
import { resourceAnchor } from '../workspace/keys';
import { labelOf, type WorkspaceIndex } from '../workspace/index';
import { recordOf } from '../workspace/records';
import { parseReference } from '../workspace/references';
import type { InventoryOwner } from './types';

export function ownersOf(agent: BoundResource, index: WorkspaceIndex, directory: Directory | undefined, fileName: (uri: string) => string): InventoryOwner[] {
  return ownerTargets(recordOf(agent), index.view(), directory).map((t) => ({
    reference: t.reference,
    resolvesTo: describeTarget(t.reference, index, directory, fileName),
    status: t.status,
    ...(t.message ? { message: t.message } : {}),
  }));
}

function describeTarget(reference: string, index: WorkspaceIndex, directory: Directory | undefined, fileName: (uri: string) => string): string {
  const ref = parseReference(reference);
  const server = directory ? serverEntry(reference, directory) : undefined;
  const parts: string[] = [];
  if (ref && (ref.kind === 'user' || ref.kind === 'group')) {
    const local = index.resolve(ref)[0];
    if (local) {
      const line = local.manifest.lines.positionAt(resourceAnchor(local).start).line + 1;
      parts.push(`${labelOf(local)} (${fileName(local.uri)}:${line})`);
    }
  }
  if (server) {
    const { entry, group } = server;
    const state = !entry.active
      ? 'inactive or deleted'
      : group && entry.memberCount === 0
        ? 'no members'
        : group
          ? `${entry.memberCount} member${entry.memberCount === 1 ? '' : 's'}`
          : 'active';
    parts.push(`server ${group ? 'group' : 'user'} "${entry.key}" id ${entry.id} (${state})`);
  }
  if (parts.length) return parts.join('; ');
  if (!ref) return directory ? `no user or group with id "${reference}" on the server` : 'a server id (connect an endpoint to resolve it)';
  if (ref.kind !== 'user' && ref.kind !== 'group') return `not a user or group (${ref.kind}:)`;
  return directory ? 'nothing in the workspace or on the server' : 'nothing declared in the workspace (connect an endpoint to check the server)';
}

function serverEntry(reference: string, directory: Directory): { entry: DirectoryEntry; group: boolean } | undefined {
  const ref = parseReference(reference);
  if (ref?.kind === 'user') {
    const e = directory.users.get(ref.key.toLowerCase());
    return e && { entry: e, group: false };
  }
  if (ref?.kind === 'group') {
    const e = directory.groups.get(ref.key.toLowerCase());
    return e && { entry: e, group: true };
  }
  if (ref) return undefined;
  for (const e of directory.users.values()) if (e.id === reference) return { entry: e, group: false };
  for (const e of directory.groups.values()) if (e.id === reference) return { entry: e, group: true };
  return undefined;
}
