/**
 * Where references stand in a SCIM body and how they are rewritten. A reference is a manifest
 * value such as `user:alice` (see workspace/references.ts); at plan time it becomes the server id,
 * or `bulkId:<item key>` for a resource this run creates first.
 */
import { parseReference, REFERENCE_SLOTS, type KeyReference } from '../workspace/references';

export interface ReferenceSite {
  attribute: string;
  /** Index in a multi-valued attribute; undefined for a singular one (`parent`). */
  index?: number;
  raw: string;
  ref: KeyReference | undefined;
}

/** Every `value` in a reference slot of the body (prefixed references and plain ids alike). */
export function referenceSites(resourceType: string, body: Record<string, unknown>): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  for (const slot of REFERENCE_SLOTS) {
    if (slot.resourceType !== resourceType) continue;
    const value = body[slot.attribute];
    if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visitSite(sites, slot.attribute, value[i], i);
    else visitSite(sites, slot.attribute, value, undefined);
  }
  return sites;
}

function visitSite(sites: ReferenceSite[], attribute: string, element: unknown, index: number | undefined): void {
  if (!element || typeof element !== 'object' || Array.isArray(element)) return;
  const raw = (element as Record<string, unknown>).value;
  if (typeof raw !== 'string' || raw.trim() === '') return;
  sites.push({ attribute, ...(index !== undefined ? { index } : {}), raw, ref: parseReference(raw) });
}

/** Sets the `value` at a site (the body is the plan's own copy). */
export function rewriteSite(body: Record<string, unknown>, site: ReferenceSite, replacement: string): void {
  const holder = body[site.attribute];
  const element = site.index !== undefined && Array.isArray(holder) ? holder[site.index] : holder;
  if (element && typeof element === 'object' && !Array.isArray(element)) (element as Record<string, unknown>).value = replacement;
}

const BULK_REFERENCE = /^bulkId:(.+)$/;

/** Replaces `bulkId:<key>` strings with the ids of resources created in this run, where known. */
export function substituteIds<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    const m = BULK_REFERENCE.exec(value);
    return (m && ids.has(m[1]!) ? ids.get(m[1]!) : value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substituteIds(v, ids)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteIds(v, ids)])) as T;
  }
  return value;
}

/** The item keys a value still refers to as `bulkId:<key>`. */
export function pendingKeys(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    const m = BULK_REFERENCE.exec(value);
    if (m) out.add(m[1]!);
  } else if (Array.isArray(value)) value.forEach((v) => pendingKeys(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => pendingKeys(v, out));
  return out;
}
