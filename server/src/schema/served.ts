/**
 * The `server` profile: a profile made from the /Schemas and /ResourceTypes an endpoint really
 * serves, so that lint says what that server will accept and keep. Served definitions are data
 * from outside: every field is checked here, characteristics a server leaves out get their
 * RFC 7643 §2.2 defaults, and sizes are capped. Nothing here does I/O (scim/schemaCache.ts
 * fetches and caches).
 */
import { commonAttributes } from './profiles';
import type { AttributeDefinition, Mutability, Profile, ResourceTypeDefinition, Returned, SchemaDefinition, ScimAttributeType, Uniqueness } from './types';

/** What discovery yields, structurally (scim/discovery.ts's ServerCapabilities fits). */
export interface ServedDefinitions {
  resourceTypes: Record<string, { name: string; endpoint: string; schema: string; schemaExtensions: { schema: string; required: boolean }[] }>;
  schemas: Record<string, { id: string; name?: string; description?: string; attributes: unknown[] }>;
}

/** The `server` profile as far as it is known: the served definitions, or why there are none. */
export type ServerProfileState = { profile: Profile } | { unavailable: string };

/** Never used silently: without an endpoint the `server` profile is reported as unavailable. */
export const NO_ENDPOINT = 'no SCIM endpoint is configured';

export interface ServerProfile extends Profile {
  id: 'server';
  /** The endpoint the definitions came from (base URL, no credentials). */
  endpoint: string;
  /** When they were fetched (ISO 8601). */
  fetchedAt: string;
  /** What was left out of the served definitions and why, for the user to see. */
  notes: string[];
}

const MAX_SCHEMAS = 200;
const MAX_ATTRIBUTES = 2_000;
const MAX_NAME = 200;
const TYPES = new Set<ScimAttributeType>(['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex']);
const MUTABILITY = new Set<Mutability>(['readOnly', 'readWrite', 'immutable', 'writeOnly']);
const RETURNED = new Set<Returned>(['always', 'never', 'default', 'request']);
const UNIQUENESS = new Set<Uniqueness>(['none', 'server', 'global']);
/** RFC 7643 §2.1 ATTRNAME, plus `$ref`. */
const ATTRIBUTE_NAME = /^(?:\$ref|[A-Za-z][A-Za-z0-9_-]*)$/;
const COMMON = new Set(commonAttributes.map((a) => a.name.toLowerCase()));

export function serverProfile(endpoint: string, fetchedAt: string, served: ServedDefinitions): ServerProfile {
  const notes: string[] = [];
  const schemas = new Map<string, SchemaDefinition>();
  for (const raw of Object.values(served.schemas).slice(0, MAX_SCHEMAS)) {
    if (typeof raw.id !== 'string' || !raw.id.toLowerCase().startsWith('urn:') || raw.id.length > MAX_NAME) continue;
    const budget = { left: MAX_ATTRIBUTES };
    const attributes = readAttributes(raw.attributes, `${raw.id}:`, notes, budget, 0).filter((a) => !COMMON.has(a.name.toLowerCase()));
    schemas.set(raw.id, {
      id: raw.id,
      name: typeof raw.name === 'string' && raw.name ? raw.name : raw.id.split(':').pop()!,
      ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
      attributes,
    });
  }
  const resourceTypes: ResourceTypeDefinition[] = [];
  for (const rt of Object.values(served.resourceTypes).slice(0, MAX_SCHEMAS)) {
    if (!schemas.has(rt.schema)) {
      notes.push(`Resource type ${rt.name} is left out: the server does not serve its schema ${rt.schema}.`);
      continue;
    }
    const extensions = rt.schemaExtensions.filter((e) => {
      if (schemas.has(e.schema)) return true;
      notes.push(`Extension ${e.schema} of ${rt.name} is left out: the server does not serve its schema.`);
      return false;
    });
    resourceTypes.push({
      id: rt.name,
      name: rt.name,
      endpoint: rt.endpoint,
      schema: rt.schema,
      ...(extensions.length ? { schemaExtensions: extensions } : {}),
    });
  }
  return Object.freeze({ id: 'server', title: `the schemas served by ${endpoint}`, endpoint, fetchedAt, notes, resourceTypes, schemas });
}

function readAttributes(raw: unknown, where: string, notes: string[], budget: { left: number }, depth: number): AttributeDefinition[] {
  if (!Array.isArray(raw)) return [];
  const out: AttributeDefinition[] = [];
  const seen = new Set<string>();
  for (const item of raw) {
    if (budget.left-- <= 0) {
      notes.push(`${where} has more than ${MAX_ATTRIBUTES} attributes; the rest are left out.`);
      break;
    }
    const def = readAttribute(item, where, notes, budget, depth);
    if (!def) continue;
    if (seen.has(def.name.toLowerCase())) {
      notes.push(`${where}${def.name} is defined twice; the first definition is used.`);
      continue;
    }
    seen.add(def.name.toLowerCase());
    out.push(def);
  }
  return out;
}

function readAttribute(raw: unknown, where: string, notes: string[], budget: { left: number }, depth: number): AttributeDefinition | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const name = typeof r.name === 'string' ? r.name : '';
  if (name.length > MAX_NAME || !ATTRIBUTE_NAME.test(name)) {
    notes.push(`${where} an attribute named ${JSON.stringify(name.slice(0, 40))} is left out: not a SCIM attribute name.`);
    return undefined;
  }
  const type = typeof r.type === 'string' ? (r.type as ScimAttributeType) : undefined;
  if (!type || !TYPES.has(type)) {
    notes.push(`${where}${name} is left out: unknown type ${JSON.stringify(String(r.type).slice(0, 40))}.`);
    return undefined;
  }
  const def: AttributeDefinition = {
    name,
    type,
    multiValued: r.multiValued === true,
    required: r.required === true,
    ...(typeof r.description === 'string' ? { description: r.description } : {}),
    ...(typeof r.caseExact === 'boolean' ? { caseExact: r.caseExact } : {}),
    ...(MUTABILITY.has(r.mutability as Mutability) ? { mutability: r.mutability as Mutability } : {}),
    ...(RETURNED.has(r.returned as Returned) ? { returned: r.returned as Returned } : {}),
    ...(UNIQUENESS.has(r.uniqueness as Uniqueness) ? { uniqueness: r.uniqueness as Uniqueness } : {}),
    ...(stringList(r.canonicalValues) ? { canonicalValues: stringList(r.canonicalValues)! } : {}),
    ...(stringList(r.referenceTypes) ? { referenceTypes: stringList(r.referenceTypes)! } : {}),
  };
  // Sub-attributes are one level deep (RFC 7643 §2.3.8); deeper ones are not read.
  if (type === 'complex' && depth === 0) {
    const subs = readAttributes(r.subAttributes, `${where}${name}.`, notes, budget, 1);
    if (subs.length) def.subAttributes = subs;
  }
  return def;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = value.filter((v): v is string => typeof v === 'string').slice(0, 500);
  return list.length ? list : undefined;
}

/** The plain data a cache file holds: exactly what `serverProfile` needs again. */
export function servedDefinitionsOf(profile: ServerProfile): ServedDefinitions {
  const resourceTypes: ServedDefinitions['resourceTypes'] = {};
  for (const rt of profile.resourceTypes) {
    resourceTypes[rt.schema] = { name: rt.name, endpoint: rt.endpoint, schema: rt.schema, schemaExtensions: [...(rt.schemaExtensions ?? [])] };
  }
  const schemas: ServedDefinitions['schemas'] = {};
  for (const s of profile.schemas.values())
    schemas[s.id] = { id: s.id, name: s.name, ...(s.description ? { description: s.description } : {}), attributes: s.attributes };
  return { resourceTypes, schemas };
}
