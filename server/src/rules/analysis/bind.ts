import type { ManifestNode, ManifestResource, MapEntry, MapNode, ParsedManifest } from '../../manifest/model';
import { entryOfCI } from '../../manifest/model';
import { isAuthoringKey } from '../../manifest/authoringKeys';
import { plainValue } from '../../manifest/values';
import { attributesOf, findAttribute } from '../../schema/attributes';
import { canonicalUrn, DEFAULT_PROFILE_ID, getProfile, isProfileId, profileFromAttributes, resourceTypeForSchemas } from '../../schema/profiles';
import type { AttributeDefinition, Profile, ProfileId, ResourceTypeDefinition } from '../../schema/types';

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
}

export type ProfileSetting = ProfileId | 'auto';

export function bindResource(manifest: ParsedManifest, resource: ManifestResource, setting: ProfileSetting = 'auto'): BoundResource {
  const root = resource.root;
  const { profile, source, unknown } = chooseProfile(manifest, resource, setting);
  const schemasEntry = entryOfCI(root, 'schemas');
  const declaredSchemas = readDeclaredSchemas(schemasEntry);
  const canonicalUrns = declaredSchemas.map((s) => s.canonical).filter((u): u is string => Boolean(u));
  const resourceType = resourceTypeForSchemas(profile, canonicalUrns);

  const bound: BoundResource = {
    manifest,
    resource,
    uri: manifest.uri,
    profile,
    profileSource: source,
    ...(unknown ? { unknownProfile: unknown } : {}),
    ...(schemasEntry ? { schemasEntry } : {}),
    declaredSchemas,
    ...(resourceType ? { resourceType } : {}),
    attributes: [],
    top: new Map(),
    normalized: {},
    nodes: new Map([['', root]]),
    owners: new Map(),
  };

  const baseDefs = resourceType ? attributesOf(profile, resourceType.schema) ?? [] : [];
  const extensions = new Map<string, string>();
  for (const urn of canonicalUrns) if (urn !== resourceType?.schema) extensions.set(urn.toLowerCase(), urn);

  for (const entry of root.entries) {
    if (isAuthoringKey(entry.key)) continue;
    if (entry.key.toLowerCase() === 'schemas') {
      bound.normalized.schemas = canonicalSchemasValue(entry, declaredSchemas);
      bound.nodes.set('/schemas', entry.value);
      continue;
    }
    const extensionUrn = extensions.get(entry.key.toLowerCase());
    if (extensionUrn && entry.value.kind === 'map') {
      const pointer = '/' + escapePointer(extensionUrn);
      const holder: BoundAttribute = { entry, canonicalName: extensionUrn, viaAlias: false, pointer, extension: extensionUrn };
      bound.attributes.push(holder);
      bound.normalized[extensionUrn] = bindMap(bound, entry.value, attributesOf(profile, extensionUrn) ?? [], pointer, holder, extensionUrn);
      bound.nodes.set(pointer, entry.value);
      bound.owners.set(pointer, entry);
      continue;
    }
    const b = bindEntry(bound, entry, baseDefs, '', undefined, undefined);
    if (b.def && b.canonicalName) bound.top.set(b.canonicalName, b);
    bound.normalized[keyOf(b)] = normalizeValue(bound, entry.value, b);
  }
  return bound;
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
): BoundAttribute {
  const match = findAttribute(defs, entry.key);
  const name = match?.canonicalName ?? entry.key;
  const b: BoundAttribute = {
    entry,
    viaAlias: match?.viaAlias ?? false,
    pointer: `${parentPointer}/${escapePointer(name)}`,
    ...(match ? { def: match.def, canonicalName: match.canonicalName } : {}),
    ...(parent ? { parent } : {}),
    ...(extension ? { extension } : {}),
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
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const entry of map.entries) {
    const child = bindEntry(bound, entry, defs, pointer, parent, extension);
    // Sub-attributes are simple (RFC 7643 §2.3.8), so deeper values are copied as they are.
    out[keyOf(child)] = child.def?.type === 'complex' ? normalizeValue(bound, entry.value, child) : plainValue(entry.value);
    if (entry.value.kind === 'seq') entry.value.items.forEach((item, i) => bound.nodes.set(`${child.pointer}/${i}`, item));
  }
  return out;
}

function readDeclaredSchemas(entry: MapEntry | undefined): DeclaredSchema[] {
  if (!entry) return [];
  const items = entry.value.kind === 'seq' ? entry.value.items : [entry.value];
  const out: DeclaredSchema[] = [];
  for (const item of items) {
    if (item.kind !== 'scalar' || typeof item.value !== 'string') continue;
    const canonical = canonicalUrn(item.value);
    out.push({ written: item.value, span: item.span, ...(canonical ? { canonical } : {}) });
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
): { profile: Profile; source: ProfileSource; unknown?: { name: string; entry?: MapEntry } } {
  const candidates: [string | undefined, ProfileSource][] = [
    [resource.declaredProfile, 'resource'],
    [manifest.fileProfile, 'file'],
  ];
  for (const [name, source] of candidates) {
    if (name === undefined) continue;
    if (isProfileId(name)) return { profile: getProfile(name), source };
    const entry = resource.root.entries.find((e) => isAuthoringKey(e.key) && e.key.toLowerCase().endsWith('profile'));
    return { profile: getProfile(detect(resource)), source: 'detected', unknown: { name, ...(entry ? { entry } : {}) } };
  }
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
