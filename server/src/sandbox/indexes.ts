/**
 * The lookups the sandbox answers without scanning the store: resources by the attributes
 * filters look them up by (`externalId`, `name`, `userName`, `displayName`, `agentUserName`,
 * `subject`, and every server-unique attribute), and the resources that reference an id (for
 * back-references and the clean-up after a delete). Keys follow each attribute's caseExact, as
 * filter comparisons and the uniqueness check do, so that an index hit is exactly a match.
 */
import { effectiveCharacteristics } from './characteristics';
import { referenceItems } from './references';
import type { StoredResource } from './journal';
import type { ReferenceAttribute, ResourceModel, SandboxModel } from './model';
import { isPlainObject } from './validate';

const LOOKUP_NAMES = new Set(['externalid', 'name', 'username', 'displayname', 'agentusername', 'subject']);

export interface IndexedAttribute {
  /** Extension URN when the attribute lives in an extension object. */
  urn: string | undefined;
  name: string;
  caseExact: boolean;
}

const cache = new WeakMap<ResourceModel, IndexedAttribute[]>();

/** The single-valued string attributes of a type that are indexed. */
export function indexedAttributes(model: ResourceModel): IndexedAttribute[] {
  let list = cache.get(model);
  if (list) return list;
  list = [];
  const unique = new Set(model.unique.map((d) => d.name));
  const groups: [string | undefined, typeof model.attributes][] = [[undefined, model.attributes], ...model.extensions];
  for (const [urn, defs] of groups) {
    for (const def of defs) {
      if (def.type !== 'string' || def.multiValued) continue;
      if (!LOOKUP_NAMES.has(def.name.toLowerCase()) && !(urn === undefined && unique.has(def.name))) continue;
      list.push({ urn, name: def.name, caseExact: effectiveCharacteristics(def).caseExact });
    }
  }
  cache.set(model, list);
  return list;
}

/** The index entry of `attr` in the model, if the attribute is indexed. */
export function findIndexed(model: ResourceModel, urn: string | undefined, name: string): IndexedAttribute | undefined {
  return indexedAttributes(model).find((a) => a.urn === urn && a.name === name);
}

export function indexKey(attr: IndexedAttribute, value: string): string {
  return attr.caseExact ? value : value.toLowerCase();
}

function indexedValue(resource: StoredResource, attr: IndexedAttribute): string | undefined {
  const c = attr.urn ? resource[attr.urn] : resource;
  const v = isPlainObject(c) ? c[attr.name] : undefined;
  return typeof v === 'string' ? v : undefined;
}

function referencedIds(resource: StoredResource, ref: ReferenceAttribute): string[] {
  return referenceItems(resource, ref)
    .map((i) => i.value)
    .filter((x): x is string => typeof x === 'string');
}

const refKey = (ref: ReferenceAttribute) => `${ref.schemaUrn ?? ''}#${ref.def.name}`;
const attrKey = (type: string, attr: IndexedAttribute) => `${type}\0${attr.urn ?? ''}#${attr.name}`;

/** key → ids, with the sets removed when they empty. */
class Postings {
  private readonly map = new Map<string, Set<string>>();
  add(key: string, id: string): void {
    let s = this.map.get(key);
    if (!s) this.map.set(key, (s = new Set()));
    s.add(id);
  }
  delete(key: string, id: string): void {
    const s = this.map.get(key);
    if (!s) return;
    s.delete(id);
    if (!s.size) this.map.delete(key);
  }
  get(key: string): ReadonlySet<string> {
    return this.map.get(key) ?? EMPTY;
  }
}
const EMPTY: ReadonlySet<string> = new Set();

/**
 * One layer of resources with its indexes: the durable state, or the changes a write has staged
 * but not yet made durable. `null` marks a resource the layer deletes.
 */
export class Layer {
  /** attrKey -> indexed value -> ids */
  private readonly byValue = new Map<string, Postings>();
  /** type + refKey -> referenced id -> ids of the resources referencing it */
  private readonly byTarget = new Map<string, Postings>();

  /** Indexes `resources` (taken over, not copied). */
  constructor(
    private readonly model: SandboxModel,
    readonly resources: Map<string, Map<string, StoredResource | null>> = new Map(),
  ) {
    for (const [type, byId] of resources) {
      const m = model.byName.get(type);
      if (m) for (const r of byId.values()) if (r) this.index(m, r);
    }
  }

  has(type: string, id: string): boolean {
    return this.resources.get(type)?.has(id) ?? false;
  }

  entry(type: string, id: string): StoredResource | null | undefined {
    return this.resources.get(type)?.get(id);
  }

  put(type: string, id: string, resource: StoredResource | null): void {
    let byId = this.resources.get(type);
    if (!byId) this.resources.set(type, (byId = new Map()));
    const previous = byId.get(id);
    const m = this.model.byName.get(type);
    if (m && previous) this.unindex(m, previous);
    byId.set(id, resource);
    if (m && resource) this.index(m, resource);
  }

  /** Removes the entry altogether (the durable layer deletes rather than keeping a null). */
  remove(type: string, id: string): void {
    const byId = this.resources.get(type);
    const previous = byId?.get(id);
    const m = this.model.byName.get(type);
    if (m && previous) this.unindex(m, previous);
    byId?.delete(id);
  }

  /** Ids in this layer whose indexed attribute has this key (the key already normalised). */
  idsByValue(type: string, attr: IndexedAttribute, key: string): ReadonlySet<string> {
    return this.byValue.get(attrKey(type, attr))?.get(key) ?? EMPTY;
  }

  /** Ids of resources of `type` in this layer that reference `target` through `ref`. */
  idsReferencing(type: string, ref: ReferenceAttribute, target: string): ReadonlySet<string> {
    return this.byTarget.get(`${type}\0${refKey(ref)}`)?.get(target) ?? EMPTY;
  }

  private postings(map: Map<string, Postings>, key: string): Postings {
    let p = map.get(key);
    if (!p) map.set(key, (p = new Postings()));
    return p;
  }

  private index(m: ResourceModel, r: StoredResource): void {
    for (const attr of indexedAttributes(m)) {
      const v = indexedValue(r, attr);
      if (v !== undefined) this.postings(this.byValue, attrKey(m.name, attr)).add(indexKey(attr, v), r.id);
    }
    for (const ref of m.references) {
      const p = this.postings(this.byTarget, `${m.name}\0${refKey(ref)}`);
      for (const target of referencedIds(r, ref)) p.add(target, r.id);
    }
  }

  private unindex(m: ResourceModel, r: StoredResource): void {
    for (const attr of indexedAttributes(m)) {
      const v = indexedValue(r, attr);
      if (v !== undefined) this.byValue.get(attrKey(m.name, attr))?.delete(indexKey(attr, v), r.id);
    }
    for (const ref of m.references) {
      const p = this.byTarget.get(`${m.name}\0${refKey(ref)}`);
      for (const target of referencedIds(r, ref)) p?.delete(target, r.id);
    }
  }
}
