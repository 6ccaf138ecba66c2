/**
 * The profiles: which resource types and schema definitions each draft brings, built once
 * from the JSON files under schemas/ (imported statically so the bundler inlines them).
 * Everything returned here is frozen: callers share one copy and must not change it.
 */
import commonJson from '../../../schemas/common.json';
import userJson from '../../../schemas/core/User.json';
import groupJson from '../../../schemas/core/Group.json';
import enterpriseUserJson from '../../../schemas/core/EnterpriseUser.json';
import abbeyAgentJson from '../../../schemas/abbey-00/Agent.json';
import abbeyApplicationJson from '../../../schemas/abbey-00/AgenticApplication.json';
import abbeyResourceTypesJson from '../../../schemas/abbey-00/ResourceTypes.json';
import wzdkAgentJson from '../../../schemas/wzdk-00/Agent.json';
import wzdkResourceTypesJson from '../../../schemas/wzdk-00/ResourceTypes.json';
import { PROFILE_IDS, type AttributeDefinition, type Profile, type ProfileId, type ResourceTypeDefinition, type SchemaDefinition } from './types';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** A Map that refuses changes once built, so a shared profile cannot be altered by one caller. */
class FrozenMap<K, V> extends Map<K, V> {
  private sealed = false;
  constructor(entries: Iterable<readonly [K, V]>) {
    super(entries);
    this.sealed = true;
  }
  override set(key: K, value: V): this {
    if (this.sealed) throw new TypeError('profile schemas are immutable');
    return super.set(key, value);
  }
  override delete(): boolean {
    throw new TypeError('profile schemas are immutable');
  }
  override clear(): void {
    throw new TypeError('profile schemas are immutable');
  }
}

// The JSON imports are typed by their literal shape (plain strings); the test suite checks
// that the files really have the SchemaDefinition shape.
const asSchema = (json: unknown) => deepFreeze(json as SchemaDefinition);
const asResourceTypes = (json: unknown) => deepFreeze(json as ResourceTypeDefinition[]);

/** id, externalId and meta (RFC 7643 §3.1): part of every resource type, in no schema of their own. */
export const commonAttributes: AttributeDefinition[] = deepFreeze((commonJson as unknown as { attributes: AttributeDefinition[] }).attributes);

const coreSchemas = [asSchema(userJson), asSchema(groupJson), asSchema(enterpriseUserJson)];

const profiles: Record<ProfileId, Profile> = {
  'abbey-00': makeProfile('abbey-00', 'draft-abbey-scim-agent-extension-00 (normalized)', asResourceTypes(abbeyResourceTypesJson), [
    asSchema(abbeyAgentJson),
    asSchema(abbeyApplicationJson),
  ]),
  'wzdk-00': makeProfile('wzdk-00', 'draft-wzdk-scim-agent-resource-00 (known attributes only)', asResourceTypes(wzdkResourceTypesJson), [
    asSchema(wzdkAgentJson),
  ]),
};

function makeProfile(id: ProfileId, title: string, resourceTypes: ResourceTypeDefinition[], draftSchemas: SchemaDefinition[]): Profile {
  const schemas = new FrozenMap([...coreSchemas, ...draftSchemas].map((s) => [s.id, s] as const));
  // A resource type naming a schema the profile lacks is a packaging mistake: fail at load.
  for (const rt of resourceTypes) {
    for (const urn of schemaUrnsOf(rt)) {
      if (!schemas.has(urn)) throw new Error(`profile ${id}: resource type ${rt.name} uses unknown schema ${urn}`);
    }
  }
  return Object.freeze({ id, title, resourceTypes, schemas });
}

export function getProfile(id: ProfileId): Profile {
  const profile = profiles[id];
  if (!profile) throw new Error(`unknown profile: ${String(id)}`);
  return profile;
}

export function allProfiles(): Profile[] {
  return PROFILE_IDS.map(getProfile);
}

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === 'string' && (PROFILE_IDS as readonly string[]).includes(value);
}

/** The base schema URN of a resource type followed by its extension URNs. */
export function schemaUrnsOf(resourceType: ResourceTypeDefinition): string[] {
  return [resourceType.schema, ...(resourceType.schemaExtensions ?? []).map((e) => e.schema)];
}

/** The resource type whose base schema is `urn` (exact match), if the profile has one. */
export function resourceTypeForSchema(profile: Profile, urn: string): ResourceTypeDefinition | undefined {
  return profile.resourceTypes.find((rt) => rt.schema === urn);
}

/**
 * The resource type a resource's `schemas` value selects: the one whose base schema is listed.
 * RFC 7643 §3 allows one base schema per resource; the first match wins.
 */
export function resourceTypeForSchemas(profile: Profile, urns: readonly string[]): ResourceTypeDefinition | undefined {
  for (const urn of urns) {
    const rt = resourceTypeForSchema(profile, urn);
    if (rt) return rt;
  }
  return undefined;
}

export function resourceTypeByName(profile: Profile, name: string): ResourceTypeDefinition | undefined {
  const lower = name.toLowerCase();
  return profile.resourceTypes.find((rt) => rt.name.toLowerCase() === lower);
}

/** Every URN any profile defines (schemas of resources and extensions). */
export const KNOWN_URNS: ReadonlySet<string> = new Set(allProfiles().flatMap((p) => [...p.schemas.keys()]));

const knownUrnByLower = new Map([...KNOWN_URNS].map((u) => [u.toLowerCase(), u]));

/**
 * The known URN that `urn` names, ignoring case (a case variant is accepted with a warning
 * elsewhere); undefined for a URN no profile defines.
 */
export function canonicalUrn(urn: string): string | undefined {
  return knownUrnByLower.get(urn.toLowerCase());
}

/** The profiles that define `urn`. The Agent URN is defined by both drafts, with different attributes. */
export function profilesDefining(urn: string): ProfileId[] {
  return PROFILE_IDS.filter((id) => getProfile(id).schemas.has(urn));
}

/** The profile a resource gets when nothing in the file or the settings chooses one. */
export const DEFAULT_PROFILE_ID: ProfileId = 'abbey-00';

/**
 * Attributes whose presence identifies a profile where drafts share a URN: the Agent URN is
 * both drafts', and only wzdk-00 has `agentUserName` (drafts reference §6).
 */
export const PROFILE_MARKER_ATTRIBUTES: Readonly<Partial<Record<ProfileId, readonly string[]>>> = Object.freeze({
  'wzdk-00': Object.freeze(['agentUserName']),
});

/**
 * The profile a resource's own attribute names point to (any case), or undefined when they
 * point to none or to several. An explicit choice in the file or the settings comes first.
 */
export function profileFromAttributes(names: readonly string[]): ProfileId | undefined {
  // Run on every resource bound: only a name as long as some marker is lower-cased and looked up
  // in each profile's few markers; a name that marks a second profile makes the answer ambiguous.
  let hit: ProfileId | undefined;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (!MARKER_LENGTHS.has(name.length)) continue;
    const lower = name.toLowerCase();
    for (let m = 0; m < LOWER_MARKERS.length; m++) {
      const id = LOWER_MARKERS[m]![0];
      if (id === hit || !LOWER_MARKERS[m]![1].has(lower)) continue;
      if (hit !== undefined) return undefined;
      hit = id;
    }
  }
  return hit;
}

/** Each profile's marker attributes, lower-cased, in PROFILE_IDS order. */
const LOWER_MARKERS: [ProfileId, Set<string>][] = PROFILE_IDS.flatMap((id) => {
  const markers = PROFILE_MARKER_ATTRIBUTES[id];
  return markers ? [[id, new Set(markers.map((m) => m.toLowerCase()))] as [ProfileId, Set<string>]] : [];
});
/** The markers' lengths: a name lower-cased into a marker (ASCII) had its length, so a name of another length is none. */
const MARKER_LENGTHS = new Set(LOWER_MARKERS.flatMap(([, markers]) => [...markers].map((m) => m.length)));
