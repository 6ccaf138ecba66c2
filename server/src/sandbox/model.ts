/**
 * What the sandbox derives from a profile, once per start: for each resource type its
 * attribute definitions, its server-unique attributes, which attributes reference other
 * resources, and which are computed back-references. Everything comes from the schema
 * definitions (server/src/schema); nothing here restates a schema.
 */
import { attributesOf, effectiveCharacteristics, findAttribute } from '../schema/attributes';
import { schemaUrnsOf } from '../schema/profiles';
import type { AttributeDefinition, Profile, ResourceTypeDefinition } from '../schema/types';

/** A complex attribute whose `value` holds the id of another resource (Group.members, Agent.owners…). */
export interface ReferenceAttribute {
  /** Extension URN when the attribute lives in an extension object. */
  schemaUrn: string | undefined;
  def: AttributeDefinition;
  /** Resource type names the `value` may point to (from `$ref`'s referenceTypes). */
  targets: string[];
}

/**
 * A readOnly attribute the server computes from another type's writable reference
 * (RFC 7643 §4.1.2: User.groups mirrors Group.members; the agent draft: Agent.applications
 * mirrors AgenticApplication.agents).
 */
export interface BackReference {
  attribute: string;
  fromType: string;
  via: string;
}

const BACK_REFERENCES: readonly BackReference[] = [
  { attribute: 'groups', fromType: 'Group', via: 'members' },
  { attribute: 'applications', fromType: 'AgenticApplication', via: 'agents' },
];

export interface ResourceModel {
  rt: ResourceTypeDefinition;
  name: string;
  /** Endpoint without the leading slash, e.g. `Agents`. */
  path: string;
  /** Base schema attributes plus the common ones. */
  attributes: AttributeDefinition[];
  /** Extension URN → its attributes. */
  extensions: Map<string, AttributeDefinition[]>;
  /** Top-level base attributes with uniqueness server or global. */
  unique: AttributeDefinition[];
  references: ReferenceAttribute[];
  backReferences: BackReference[];
  /** The attribute that names a resource for `display` values (displayName, else the unique name). */
  labelAttributes: string[];
}

export interface SandboxModel {
  profile: Profile;
  types: ResourceModel[];
  byName: Map<string, ResourceModel>;
  byPath: Map<string, ResourceModel>;
}

export function buildModel(profile: Profile): SandboxModel {
  const names = new Set(profile.resourceTypes.map((rt) => rt.name));
  const types = profile.resourceTypes.map((rt) => buildResourceModel(profile, rt, names));
  return {
    profile,
    types,
    byName: new Map(types.map((t) => [t.name, t])),
    byPath: new Map(types.map((t) => [t.path.toLowerCase(), t])),
  };
}

function buildResourceModel(profile: Profile, rt: ResourceTypeDefinition, typeNames: Set<string>): ResourceModel {
  const attributes = attributesOf(profile, rt.schema);
  if (!attributes) throw new Error(`resource type ${rt.name}: schema ${rt.schema} is not in the profile`);
  const extensions = new Map<string, AttributeDefinition[]>();
  for (const urn of schemaUrnsOf(rt).slice(1)) {
    const defs = attributesOf(profile, urn);
    if (defs) extensions.set(urn, defs);
  }
  const references: ReferenceAttribute[] = [];
  const collect = (schemaUrn: string | undefined, defs: AttributeDefinition[]) => {
    for (const def of defs) {
      if (def.type !== 'complex' || effectiveCharacteristics(def).mutability === 'readOnly') continue;
      const subs = def.subAttributes ?? [];
      const ref = findAttribute(subs, '$ref');
      if (!findAttribute(subs, 'value') || !ref) continue;
      const targets = (ref.def.referenceTypes ?? []).filter((t) => typeNames.has(t));
      if (targets.length) references.push({ schemaUrn, def, targets });
    }
  };
  collect(undefined, attributes);
  for (const [urn, defs] of extensions) collect(urn, defs);

  const backReferences = BACK_REFERENCES.filter((b) => {
    const own = findAttribute(attributes, b.attribute);
    return own && effectiveCharacteristics(own.def).mutability === 'readOnly' && typeNames.has(b.fromType);
  });
  const unique = attributes.filter((d) => d.name !== 'id' && (d.uniqueness === 'server' || d.uniqueness === 'global'));
  const labelAttributes = [
    ...(findAttribute(attributes, 'displayName') ? ['displayName'] : []),
    ...unique.filter((d) => d.type === 'string').map((d) => d.name),
  ];
  return {
    rt,
    name: rt.name,
    path: rt.endpoint.replace(/^\//, ''),
    attributes,
    extensions,
    unique,
    references,
    backReferences,
    labelAttributes,
  };
}

/** The canonical extension URN `key` names (case-insensitive), if the type has that extension. */
export function extensionUrn(model: ResourceModel, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const urn of model.extensions.keys()) if (urn.toLowerCase() === lower) return urn;
  return undefined;
}

export function labelOf(model: ResourceModel, resource: Record<string, unknown>): string | undefined {
  for (const a of model.labelAttributes) {
    const v = resource[a];
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}
