/**
 * Attribute metadata lookups over the schema definitions. SCIM attribute names are
 * case-insensitive (RFC 7643 §2.1) and some definitions accept misspellings (`x-aliases`),
 * so every lookup goes through a lower-case index built once per definition array.
 */
import { commonAttributes, resourceTypeForSchema, schemaUrnsOf } from './profiles';
import type { AttributeDefinition, Mutability, Profile, ResourceTypeDefinition, Returned, Uniqueness } from './types';

export interface AttributeMatch {
  def: AttributeDefinition;
  /** The name as the definition spells it: what a quick fix rewrites the key to. */
  canonicalName: string;
  /** True when `name` matched one of the definition's `x-aliases` rather than its name. */
  viaAlias: boolean;
}

/**
 * A definition array's lookups: by lower-case name or alias, and by the names and aliases as the
 * definitions spell them. Keys are mostly written as spelled, and those are found without a
 * lower-cased copy of the key (three of them per key per binding were a tenth of a lint's
 * allocations, and slow in its cold first files); the spelled entries are the lower-case
 * index's own, so both ways find the same.
 */
interface AttributeIndex {
  lower: Map<string, AttributeMatch>;
  spelled: Map<string, AttributeMatch>;
}

// Keyed by the definition array itself: profiles are immutable, so an index never goes stale.
const indexes = new WeakMap<readonly AttributeDefinition[], AttributeIndex>();

function indexOf(defs: readonly AttributeDefinition[]): AttributeIndex {
  let index = indexes.get(defs);
  if (!index) {
    const lower = new Map<string, AttributeMatch>();
    for (const def of defs) {
      for (const alias of def['x-aliases'] ?? []) {
        lower.set(alias.toLowerCase(), { def, canonicalName: def.name, viaAlias: true });
      }
    }
    // Real names are set last so that they win over an alias spelled the same way.
    for (const def of defs) lower.set(def.name.toLowerCase(), { def, canonicalName: def.name, viaAlias: false });
    const spelled = new Map<string, AttributeMatch>();
    for (const def of defs) {
      for (const name of [def.name, ...(def['x-aliases'] ?? [])]) spelled.set(name, lower.get(name.toLowerCase())!);
    }
    index = { lower, spelled };
    indexes.set(defs, index);
  }
  return index;
}

/** Finds the definition `name` refers to, in any case or by alias; O(1) after the first call per array. */
export function findAttribute(defs: readonly AttributeDefinition[], name: string): AttributeMatch | undefined {
  const index = indexOf(defs);
  return index.spelled.get(name) ?? index.lower.get(name.toLowerCase());
}

const attributeLists = new WeakMap<Profile, Map<string, AttributeDefinition[]>>();

/**
 * The top-level attributes a schema contributes: for a resource type's base schema, its own
 * attributes plus the common ones (id, externalId, meta); for an extension schema, only its own.
 * Undefined when the profile does not define `schemaUrn`. The result is cached and frozen.
 */
export function attributesOf(profile: Profile, schemaUrn: string): AttributeDefinition[] | undefined {
  let perProfile = attributeLists.get(profile);
  if (!perProfile) attributeLists.set(profile, (perProfile = new Map()));
  const cached = perProfile.get(schemaUrn);
  if (cached) return cached;
  const schema = profile.schemas.get(schemaUrn);
  if (!schema) return undefined;
  const isBase = resourceTypeForSchema(profile, schemaUrn) !== undefined;
  const list = Object.freeze(isBase ? [...schema.attributes, ...commonAttributes] : schema.attributes) as AttributeDefinition[];
  perProfile.set(schemaUrn, list);
  return list;
}

/** Set by the service provider only: a client's value is ignored (RFC 7644 §3.3, §3.5.1). */
export function isServerManaged(def: AttributeDefinition): boolean {
  return def.mutability === 'readOnly';
}

export function isComplex(def: AttributeDefinition): boolean {
  return def.type === 'complex';
}

export function subAttributesOf(def: AttributeDefinition): AttributeDefinition[] {
  return def.subAttributes ?? [];
}

/** An attribute definition with every RFC 7643 §2.2 default filled in. */
export interface EffectiveAttribute extends AttributeDefinition {
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
}

/**
 * The characteristics that apply when a definition leaves some out (RFC 7643 §2.2). Our own
 * files are explicit; this matters for schemas a server serves from /Schemas.
 */
export function effectiveCharacteristics(def: AttributeDefinition): EffectiveAttribute {
  return {
    ...def,
    caseExact: def.caseExact ?? false,
    mutability: def.mutability ?? 'readWrite',
    returned: def.returned ?? 'default',
    uniqueness: def.uniqueness ?? 'none',
  };
}

/**
 * Visits every definition depth-first. `path` holds canonical names from the top, e.g.
 * ['owners', '$ref']; `parent` is the enclosing complex attribute.
 */
export function walkAttributes(
  defs: readonly AttributeDefinition[],
  visit: (def: AttributeDefinition, path: string[], parent: AttributeDefinition | undefined) => void,
  prefix: string[] = [],
  parent?: AttributeDefinition,
): void {
  for (const def of defs) {
    const path = [...prefix, def.name];
    visit(def, path, parent);
    if (def.subAttributes) walkAttributes(def.subAttributes, visit, path, def);
  }
}

export interface ResolvedAttributePath {
  /** The schema that defines the attribute (base or extension). */
  schemaUrn: string;
  attribute: AttributeDefinition;
  subAttribute?: AttributeDefinition;
  /** `attr` or `attr.sub` in canonical case, prefixed by `schemaUrn:` when the input was qualified. */
  canonicalPath: string;
  viaAlias: boolean;
}

/**
 * Resolves an attribute path as filters and PATCH use it (RFC 7644 §3.10): `name`,
 * `name.sub`, or fully qualified `urn:…:Schema:name.sub`. Case-insensitive, aliases allowed.
 */
export function resolveAttributePath(profile: Profile, resourceType: ResourceTypeDefinition, path: string): ResolvedAttributePath | undefined {
  let schemaUrn = resourceType.schema;
  let rest = path;
  let qualified = false;
  if (path.toLowerCase().startsWith('urn:')) {
    // Longest first: one URN may be another's prefix plus ':…', and the attribute part must not swallow it.
    const urns = schemaUrnsOf(resourceType).sort((a, b) => b.length - a.length);
    const lower = path.toLowerCase();
    const urn = urns.find((u) => lower.startsWith(u.toLowerCase() + ':'));
    if (!urn) return undefined;
    schemaUrn = urn;
    rest = path.slice(urn.length + 1);
    qualified = true;
  }
  const parts = rest.split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) return undefined;
  const top = attributesOf(profile, schemaUrn);
  const first = top && findAttribute(top, parts[0]);
  if (!first) return undefined;
  let canonical = first.canonicalName;
  let viaAlias = first.viaAlias;
  let subAttribute: AttributeDefinition | undefined;
  if (parts.length === 2) {
    const sub = findAttribute(subAttributesOf(first.def), parts[1]);
    if (!sub) return undefined;
    subAttribute = sub.def;
    canonical += '.' + sub.canonicalName;
    viaAlias ||= sub.viaAlias;
  }
  return {
    schemaUrn,
    attribute: first.def,
    subAttribute,
    canonicalPath: qualified ? `${schemaUrn}:${canonical}` : canonical,
    viaAlias,
  };
}
