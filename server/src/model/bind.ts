import type { ManifestNode, ManifestResource, MapEntry, MapNode, ParsedManifest } from '../manifest/model';
import { entryOfCI } from '../manifest/model';
import { isAuthoringKey } from '../manifest/authoringKeys';
import { plainValue } from '../manifest/values';
import { attributesOf, findAttribute } from '../schema/attributes';
import { canonicalUrn, DEFAULT_PROFILE_ID, getProfile, isProfileId, KNOWN_URNS, profileFromAttributes, resourceTypeForSchemas } from '../schema/profiles';
import { NO_ENDPOINT, type ServerProfileState } from '../schema/served';
import { SERVER_PROFILE, type AttributeDefinition, type Profile, type ProfileId, type ResourceTypeDefinition } from '../schema/types';

/** A key of the manifest matched (or not) to the attribute definition it names. */
export interface BoundAttribute {
  entry: MapEntry;
  def?: AttributeDefinition;
  /** The definition's spelling of the name. */
  canonicalName?: string;
  viaAlias: boolean;
  /** The enclosing complex attribute's binding, for sub-attributes. */
  parent?: BoundAttribute;
  /** Extension schema URN when the attribute sits under one. */
  extension?: string;
  /**
   * The key names its schema (RFC 7644 §3.10 notation, `urn:…:Agent:displayName`): the URN as
   * written, and the canonical URN it matched.
   */
  qualifier?: { written: string; urn: string };
  /** JSON pointer of the value in `BoundResource.normalized`. */
  pointer: string;
}

export interface DeclaredSchema {
  written: string;
  /** The URN as a profile spells it, when any profile knows it in any case. */
  canonical?: string;
  span: { start: number; end: number };
}

export type ProfileSource = 'resource' | 'file' | 'setting' | 'detected';

/**
 * A resource seen through its profile's schemas: which keys are which attributes, the value
 * with canonical names (what validation and provisioning use), and where each value came from.
 */
export interface BoundResource {
  manifest: ParsedManifest;
  resource: ManifestResource;
  uri: string;
  profile: Profile;
  profileSource: ProfileSource;
  /** A profile named in the file that does not exist (reported, then the default is used). */
  unknownProfile?: { name: string; entry?: MapEntry };
  /** The `server` profile was chosen but is not available: why (reported, then a bundled profile is used). */
  serverUnavailable?: string;
  schemasEntry?: MapEntry;
  declaredSchemas: DeclaredSchema[];
  resourceType?: ResourceTypeDefinition;
  attributes: BoundAttribute[];
  /** Canonical top-level name → binding (base-schema attributes only). */
  top: Map<string, BoundAttribute>;
  /** Canonical keys, aliases renamed, authoring keys dropped. */
  normalized: Record<string, unknown>;
  /** JSON pointer in `normalized` → the node that produced it. */
  nodes: Map<string, ManifestNode>;
  /** JSON pointer of an object in `normalized` → the entry whose value it is (for "missing" ranges). */
  owners: Map<string, MapEntry>;
  /** Keys that name an attribute already given in the same object (in another case, alias or notation). */
  duplicates: DuplicateAttribute[];
  /**
   * Pointers of attributes given twice with different values: `normalized` leaves them out, so
   * nothing downstream (inventory, plan) picks one of the two.
   */
  conflicted: Set<string>;
  /** Keys qualified by the URN of a schema this resource does not use (another resource type's). */
  foreignQualified: { entry: MapEntry; urn: string }[];
  /** Extension schemas used by a key but not listed in `schemas` (RFC 7643 §3 wants them listed). */
  undeclaredExtensions: { entry: MapEntry; urn: string }[];
}

export interface DuplicateAttribute {
  entry: MapEntry;
  /** The earlier key naming the same attribute. */
  first: MapEntry;
  /** The attribute's canonical name (or the key, for an unknown attribute). */
  name: string;
  pointer: string;
}

export type ProfileSetting = ProfileId | 'auto' | 'server';

export type { ServerProfileState };
export { NO_ENDPOINT };

export function bindResource(
  manifest: ParsedManifest,
  resource: ManifestResource,
  setting: ProfileSetting = 'auto',
  server: ServerProfileState = { unavailable: NO_ENDPOINT },
): BoundResource {
  firstKeys = new Map();
  try {
    return bind(manifest, resource, setting, server);
  } finally {
    firstKeys = NONE_OUTSIDE_BIND;
  }
}

function bind(manifest: ParsedManifest, resource: ManifestResource, setting: ProfileSetting, server: ServerProfileState): BoundResource {
  const root = resource.root;
  const { profile, source, unknown, serverUnavailable } = chooseProfile(manifest, resource, setting, server);
  const schemasEntry = entryOfCI(root, 'schemas');
  const declaredSchemas = readDeclaredSchemas(schemasEntry, profile);
  const canonicalUrns = declaredSchemas.map((s) => s.canonical).filter((u): u is string => Boolean(u));
  const resourceType = resourceTypeForSchemas(profile, canonicalUrns);

  const bound: BoundResource = {
    manifest,
    resource,
    uri: manifest.uri,
    profile,
    profileSource: source,
    // Every field written, absent ones as undefined: one object shape for every binding, which
    // the rules read by the thousand (conditional spreads made up to 16 shapes, and a slow copy each).
    unknownProfile: unknown || undefined,
    serverUnavailable: serverUnavailable || undefined,
    schemasEntry,
    declaredSchemas,
    resourceType,
    attributes: [],
    top: new Map(),
    normalized: {},
    nodes: new Map(),
    owners: new Map(),
    duplicates: [],
    conflicted: new Set(),
    foreignQualified: [],
    undeclaredExtensions: [],
  };
  bound.nodes.set('', root); // not new Map([['', root]]): that walks an iterator of a new array

  const baseDefs = resourceType ? (attributesOf(profile, resourceType.schema) ?? []) : [];
  // Extensions: those the resource type allows and those `schemas` lists (an unexpected one is
  // then reported as an attribute this resource type does not have).
  const { extensions, qualifiers } = extensionsOf(resourceType, canonicalUrns);
  const useExtension = (entry: MapEntry, urn: string) => {
    if (!canonicalUrns.includes(urn) && !bound.undeclaredExtensions.some((u) => u.urn === urn)) bound.undeclaredExtensions.push({ entry, urn });
  };

  // Indexed loops here and below: for-of steps an iterator, an object per step until V8
  // optimises the loop, which a lint's first thousand files do not reach.
  for (let e = 0; e < root.entries.length; e++) {
    const entry = root.entries[e]!;
    const lower = entry.key.toLowerCase();
    if (isAuthoringKey(lower)) continue;
    if (lower === 'schemas') {
      bound.normalized.schemas = canonicalSchemasValue(entry, declaredSchemas);
      bound.nodes.set('/schemas', entry.value);
      continue;
    }
    const extensionUrn = extensions.get(lower);
    if (extensionUrn && entry.value.kind === 'map') {
      useExtension(entry, extensionUrn);
      const pointer = '/' + escapePointer(extensionUrn);
      const holder: BoundAttribute = { entry, canonicalName: extensionUrn, viaAlias: false, pointer, extension: extensionUrn };
      bound.attributes.push(holder);
      const existing = bound.normalized[extensionUrn];
      const into = existing && typeof existing === 'object' && !Array.isArray(existing) ? (existing as Record<string, unknown>) : undefined;
      if (into && firstKeys.get(into)?.has('')) {
        // The same extension object twice (in another case): one attribute given twice.
        recordDuplicate(bound, entry, firstKeys.get(into)!.get('')!, extensionUrn, pointer);
        continue;
      }
      const value = bindMap(bound, entry.value, attributesOf(profile, extensionUrn) ?? [], pointer, holder, extensionUrn, into);
      claimsOf(value).set('', entry);
      bound.normalized[extensionUrn] = value;
      bound.nodes.set(pointer, entry.value);
      bound.owners.set(pointer, entry);
      continue;
    }
    const qualified = lower.startsWith('urn:') ? splitQualified(entry.key, qualifiers) : undefined;
    if (qualified && qualified.urn !== resourceType?.schema) {
      // `urn:…:extension:…:attr: value`: an extension attribute written on the resource itself.
      useExtension(entry, qualified.urn);
      const pointer = '/' + escapePointer(qualified.urn);
      let holder = bound.normalized[qualified.urn] as Record<string, unknown> | undefined;
      if (!holder || typeof holder !== 'object' || Array.isArray(holder)) bound.normalized[qualified.urn] = holder = {};
      const b = bindEntry(bound, entry, attributesOf(profile, qualified.urn) ?? [], pointer, undefined, qualified.urn, qualified);
      putOnce(bound, holder, b, b.def?.type === 'complex' ? normalizeValue(bound, entry.value, b) : plainValue(entry.value));
      continue;
    }
    if (!qualified && resourceType && lower.startsWith('urn:')) {
      const foreign = splitQualified(entry.key, [...profile.schemas.keys(), ...KNOWN_URNS]);
      if (foreign) {
        bound.attributes.push({ entry, viaAlias: false, pointer: '/' + escapePointer(entry.key) });
        bound.foreignQualified.push({ entry, urn: foreign.urn });
        continue;
      }
    }
    const b = bindEntry(bound, entry, baseDefs, '', undefined, undefined, qualified);
    if (b.def && b.canonicalName && !bound.top.has(b.canonicalName)) bound.top.set(b.canonicalName, b);
    putOnce(bound, bound.normalized, b, normalizeValue(bound, entry.value, b));
  }
  return bound;
}

interface Extensions {
  /** Lower-case URN -> URN. */
  extensions: ReadonlyMap<string, string>;
  /** The URNs a key may be qualified by: the resource type's schema, then the extensions. */
  qualifiers: readonly string[];
}

/** Per resource type, for resources whose `schemas` lists only its schema (nearly all): made once, only read. */
const plainExtensions = new WeakMap<ResourceTypeDefinition, Extensions>();

function extensionsOf(resourceType: ResourceTypeDefinition | undefined, canonicalUrns: readonly string[]): Extensions {
  const plain = resourceType !== undefined && canonicalUrns.length === 1 && canonicalUrns[0] === resourceType.schema;
  let known = plain ? plainExtensions.get(resourceType) : undefined;
  if (!known) {
    const extensions = new Map<string, string>();
    for (const urn of [...(resourceType?.schemaExtensions ?? []).map((e) => e.schema), ...canonicalUrns]) {
      if (urn !== resourceType?.schema) extensions.set(urn.toLowerCase(), urn);
    }
    known = { extensions, qualifiers: resourceType ? [resourceType.schema, ...extensions.values()] : [] };
    if (plain) plainExtensions.set(resourceType, known);
  }
  return known;
}

/** `urn:…:Schema:attr` split at the longest of `urns` it starts with (any case); the rest must be one name. */
function splitQualified(key: string, urns: readonly string[]): { written: string; urn: string; rest: string } | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  for (const urn of urns) if (lower.startsWith(urn.toLowerCase() + ':') && (!best || urn.length > best.length)) best = urn;
  if (!best) return undefined;
  const rest = key.slice(best.length + 1);
  if (rest === '' || rest.includes(':')) return undefined;
  return { written: key.slice(0, best.length), urn: best, rest };
}

/**
 * Which key first gave each attribute of a normalized object (lower-case canonical name → entry;
 * '' for an extension object itself), while one resource is bound: only binding asks, so the
 * record is dropped when bindResource returns (kept beside every object, it was a map per object
 * of every resource for as long as the resource lived, and a weak one, which the GC pays for).
 * Binding is synchronous and calls nothing that binds, so one record at a time is enough.
 */
let firstKeys = new Map<object, Map<string, MapEntry>>();
/**
 * Between bindings. Each binding gets a new map rather than clear() on one: V8's cleared table
 * keeps its entries and points to its successor, so a long-lived map's cleared tables chained
 * every resource's tree to the old generation until a full GC (a 50,000-resource file grew the
 * heap by 170 MB of dead trees, and each scavenge copied them).
 */
const NONE_OUTSIDE_BIND = firstKeys;

function claimsOf(target: object): Map<string, MapEntry> {
  let claims = firstKeys.get(target);
  if (!claims) firstKeys.set(target, (claims = new Map()));
  return claims;
}

/**
 * Writes an attribute's value into its object, unless an earlier key already gave the same
 * attribute (`name` and `Name`, a name and its alias, plain and URN-qualified): then it is a
 * duplicate, and when the two values differ neither is kept.
 */
function putOnce(bound: BoundResource, target: Record<string, unknown>, b: BoundAttribute, value: unknown): void {
  const key = keyOf(b);
  const claims = claimsOf(target);
  // A canonical name is one of the definitions' own strings: lower-cased once, not per binding.
  const lower = b.canonicalName !== undefined ? lowerCanonical(b.canonicalName) : key.toLowerCase();
  const first = claims.get(lower);
  if (!first) {
    claims.set(lower, b.entry);
    target[key] = value;
    return;
  }
  recordDuplicate(bound, b.entry, first, key, b.pointer);
  if (bound.conflicted.has(b.pointer)) return;
  if (JSON.stringify(target[key]) !== JSON.stringify(value)) {
    delete target[key];
    bound.conflicted.add(b.pointer);
  }
}

/** Canonical names lower-cased (the profiles' few hundred; a server's profile may bring others, hence the cap). */
const lowerCanonicals = new Map<string, string>();
function lowerCanonical(name: string): string {
  let lower = lowerCanonicals.get(name);
  if (lower === undefined) {
    if (lowerCanonicals.size >= 10_000) lowerCanonicals.clear();
    lowerCanonicals.set(name, (lower = name.toLowerCase()));
  }
  return lower;
}

function recordDuplicate(bound: BoundResource, entry: MapEntry, first: MapEntry, name: string, pointer: string): void {
  bound.duplicates.push({ entry, first, name, pointer });
}

function keyOf(b: BoundAttribute): string {
  return b.canonicalName ?? b.entry.key;
}

function bindEntry(
  bound: BoundResource,
  entry: MapEntry,
  defs: readonly AttributeDefinition[],
  parentPointer: string,
  parent: BoundAttribute | undefined,
  extension: string | undefined,
  qualified?: { written: string; urn: string; rest: string },
): BoundAttribute {
  const match = findAttribute(defs, qualified ? qualified.rest : entry.key);
  const name = match?.canonicalName ?? entry.key;
  // Every field in one literal, in one order: one object shape for all attributes (spread-in
  // optional fields gave them several shapes, and made a temporary object for each).
  const b: BoundAttribute = {
    entry,
    def: match?.def,
    canonicalName: match?.canonicalName,
    viaAlias: match?.viaAlias ?? false,
    parent,
    extension,
    qualifier: qualified ? { written: qualified.written, urn: qualified.urn } : undefined,
    pointer: `${parentPointer}/${escapePointer(name)}`,
  };
  bound.attributes.push(b);
  bound.nodes.set(b.pointer, entry.value);
  return b;
}

/** Normalises a value, binding the keys of complex values to their sub-attributes. */
function normalizeValue(bound: BoundResource, node: ManifestNode, b: BoundAttribute): unknown {
  const def = b.def;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') {
    return node.items.map((item, i) => {
      const pointer = `${b.pointer}/${i}`;
      bound.nodes.set(pointer, item);
      if (item.kind === 'map') {
        bound.owners.set(pointer, b.entry);
        return bindMap(bound, item, def?.subAttributes ?? [], pointer, b, b.extension);
      }
      return plainValue(item);
    });
  }
  bound.owners.set(b.pointer, b.entry);
  return bindMap(bound, node, def?.subAttributes ?? [], b.pointer, b, b.extension);
}

function bindMap(
  bound: BoundResource,
  map: MapNode,
  defs: readonly AttributeDefinition[],
  pointer: string,
  parent: BoundAttribute,
  extension: string | undefined,
  into: Record<string, unknown> = {},
): Record<string, unknown> {
  const out = into;
  for (let e = 0; e < map.entries.length; e++) {
    const entry = map.entries[e]!;
    const child = bindEntry(bound, entry, defs, pointer, parent, extension);
    // Sub-attributes are simple (RFC 7643 §2.3.8), so deeper values are copied as they are.
    putOnce(bound, out, child, child.def?.type === 'complex' ? normalizeValue(bound, entry.value, child) : plainValue(entry.value));
    if (entry.value.kind === 'seq') entry.value.items.forEach((item, i) => bound.nodes.set(`${child.pointer}/${i}`, item));
  }
  return out;
}

/** The URN as the profile spells it (a server's own URNs included), else as any bundled profile does. */
function canonicalIn(profile: Profile, urn: string): string | undefined {
  if (profile.id === SERVER_PROFILE) {
    const lower = urn.toLowerCase();
    for (const id of profile.schemas.keys()) if (id.toLowerCase() === lower) return id;
  }
  return canonicalUrn(urn);
}

function readDeclaredSchemas(entry: MapEntry | undefined, profile: Profile): DeclaredSchema[] {
  if (!entry) return [];
  const items = entry.value.kind === 'seq' ? entry.value.items : [entry.value];
  const out: DeclaredSchema[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.kind !== 'scalar' || typeof item.value !== 'string') continue;
    const canonical = canonicalIn(profile, item.value);
    out.push({ written: item.value, span: item.span, canonical: canonical || undefined });
  }
  return out;
}

/** `schemas` with each known URN in its canonical spelling; a non-array stays as written. */
function canonicalSchemasValue(entry: MapEntry, declared: DeclaredSchema[]): unknown {
  if (entry.value.kind !== 'seq') return plainValue(entry.value);
  let i = 0;
  return entry.value.items.map((item) => {
    if (item.kind === 'scalar' && typeof item.value === 'string') {
      const d = declared[i++];
      return d?.canonical ?? item.value;
    }
    return plainValue(item);
  });
}

function chooseProfile(
  manifest: ParsedManifest,
  resource: ManifestResource,
  setting: ProfileSetting,
  server: ServerProfileState,
): { profile: Profile; source: ProfileSource; unknown?: { name: string; entry?: MapEntry }; serverUnavailable?: string } {
  const fromServer = (source: ProfileSource) =>
    'profile' in server
      ? { profile: server.profile, source }
      : { profile: getProfile(detect(resource)), source: 'detected' as const, serverUnavailable: server.unavailable };
  // The resource's own choice, else the file's (no list of the two: this runs for every resource).
  const name = resource.declaredProfile ?? manifest.fileProfile;
  if (name !== undefined) {
    const source: ProfileSource = resource.declaredProfile !== undefined ? 'resource' : 'file';
    if (name === SERVER_PROFILE) return fromServer(source);
    if (isProfileId(name)) return { profile: getProfile(name), source };
    const entry = resource.root.entries.find((e) => isAuthoringKey(e.key) && e.key.toLowerCase().endsWith('profile'));
    return { profile: getProfile(detect(resource)), source: 'detected', unknown: { name, ...(entry ? { entry } : {}) } };
  }
  if (setting === SERVER_PROFILE) return fromServer('setting');
  if (setting !== 'auto') return { profile: getProfile(setting), source: 'setting' };
  return { profile: getProfile(detect(resource)), source: 'detected' };
}

function detect(resource: ManifestResource): ProfileId {
  return profileFromAttributes(resource.root.entries.map((e) => e.key)) ?? DEFAULT_PROFILE_ID;
}

export function escapePointer(key: string): string {
  if (!key.includes('~') && !key.includes('/')) return key;
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The canonical name of the resource type, for rules that apply to one kind only. */
export function kindOf(bound: BoundResource): string | undefined {
  return bound.resourceType?.name;
}

/** Top-level value by canonical attribute name. */
export function valueOf(bound: BoundResource, name: string): unknown {
  return bound.normalized[name];
}
