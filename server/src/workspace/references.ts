/**
 * References by human key, resolved to server ids at plan time. Like SCIM Bulk's `bulkId:`,
 * a prefix in `value` says what the rest names:
 *   user:<userName or externalId>          group:<displayName or externalId>
 *   agent:<externalId, name or agentUserName>  application:<externalId or name>
 * A value without one of these prefixes is taken as a server id and passed through unchanged.
 */
export type ReferenceKind = 'user' | 'group' | 'agent' | 'application';

export const REFERENCE_KINDS: readonly ReferenceKind[] = ['user', 'group', 'agent', 'application'];

export const RESOURCE_TYPE_OF: Record<ReferenceKind, string> = {
  user: 'User',
  group: 'Group',
  agent: 'Agent',
  application: 'AgenticApplication',
};

export interface KeyReference {
  kind: ReferenceKind;
  key: string;
}

const PREFIX = /^(user|group|agent|application):(.*)$/i;

export function parseReference(value: unknown): KeyReference | undefined {
  if (typeof value !== 'string') return undefined;
  const m = PREFIX.exec(value);
  if (!m) return undefined;
  const key = m[2]!.trim();
  if (key === '') return undefined;
  return { kind: m[1]!.toLowerCase() as ReferenceKind, key };
}

export function formatReference(ref: KeyReference): string {
  return `${ref.kind}:${ref.key}`;
}

/** Where references may stand, and which kinds each place accepts. */
export interface ReferenceSlot {
  resourceType: string;
  attribute: string;
  accepts: readonly ReferenceKind[];
}

export const REFERENCE_SLOTS: readonly ReferenceSlot[] = [
  { resourceType: 'Agent', attribute: 'owners', accepts: ['user', 'group'] },
  { resourceType: 'Agent', attribute: 'parent', accepts: ['agent'] },
  { resourceType: 'AgenticApplication', attribute: 'agents', accepts: ['agent'] },
  { resourceType: 'Group', attribute: 'members', accepts: ['user', 'group', 'agent'] },
];

export function slotFor(resourceType: string | undefined, attribute: string): ReferenceSlot | undefined {
  return REFERENCE_SLOTS.find((s) => s.resourceType === resourceType && s.attribute === attribute);
}
