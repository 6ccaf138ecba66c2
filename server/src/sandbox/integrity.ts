/**
 * Cross-resource rules: server-unique attributes (409 uniqueness), references that must
 * point at existing resources (Group.members, AgenticApplication.agents, Agent.owners…), and
 * removal of references to a deleted resource.
 */
import { effectiveCharacteristics } from './characteristics';
import type { AttributeDefinition } from '../schema/types';
import { ScimError, invalidValue } from './errors';
import { findIndexed } from './indexes';
import { container, referenceItems } from './references';
import type { Change, StoredResource } from './journal';
import type { ResourceModel, SandboxModel } from './model';
import type { Store } from './store';
import { isPlainObject, type Json } from './validate';

export function checkUniqueness(store: Store, model: ResourceModel, candidate: Json, selfId: string | undefined): void {
  for (const def of model.unique) {
    const value = candidate[def.name];
    if (typeof value !== 'string') continue;
    const clash = uniqueClash(store, model, def, value, selfId);
    if (clash) throw new ScimError(409, 'uniqueness', `${def.name} '${value}' is already used by another ${model.name}`);
  }
}

function uniqueClash(store: Store, model: ResourceModel, def: AttributeDefinition, value: string, selfId: string | undefined): boolean {
  const indexed = findIndexed(model, undefined, def.name);
  if (indexed) return store.find(model.name, indexed, value).some((r) => r.id !== selfId);
  // Not indexed (a non-string unique attribute): compare as the schema says.
  const exact = effectiveCharacteristics(def).caseExact;
  const norm = (s: string) => (exact ? s : s.toLowerCase());
  return store.all(model.name).some((r) => r.id !== selfId && typeof r[def.name] === 'string' && norm(r[def.name] as string) === norm(value));
}

/** Finds the resource an id names among `types`. Ids are unique across the whole server. */
export function findTarget(store: Store, types: string[], id: string): { type: string; resource: StoredResource } | undefined {
  for (const type of types) {
    const resource = store.get(type, id);
    if (resource) return { type, resource };
  }
  return undefined;
}

export function checkReferences(store: Store, model: ResourceModel, candidate: Json, selfId: string | undefined): void {
  for (const ref of model.references) {
    for (const item of referenceItems(candidate, ref)) {
      const value = item.value;
      if (value === undefined) continue;
      if (typeof value !== 'string' || !value) throw invalidValue(`'${ref.def.name}.value' must be a resource id`);
      if (value === selfId) throw invalidValue(`A ${model.name} cannot reference itself in '${ref.def.name}'`);
      if (!findTarget(store, ref.targets, value)) {
        throw invalidValue(`'${ref.def.name}' references '${value}', which is not an existing ${ref.targets.join(' or ')}`);
      }
    }
  }
}

/**
 * The changes that remove every reference to `id` from other resources, so a deleted User
 * leaves no dangling Group member and a deleted Agent no dangling application agent.
 */
export function cascadeDelete(store: Store, model: SandboxModel, id: string, stamp: (type: string, r: StoredResource) => StoredResource): Change[] {
  const changes: Change[] = [];
  for (const m of model.types) {
    const referrers = new Map<string, StoredResource>();
    for (const ref of m.references) for (const r of store.referencing(m.name, ref, id)) referrers.set(r.id, r);
    for (const resource of store.inCreationOrder([...referrers.values()])) {
      let next: StoredResource | undefined;
      for (const ref of m.references) {
        if (!referenceItems(resource, ref).some((i) => i.value === id)) continue;
        next ??= structuredClone(resource);
        const c = container(next, ref)!;
        const v = c[ref.def.name];
        if (Array.isArray(v)) {
          const kept = v.filter((i) => !(isPlainObject(i) && i.value === id));
          if (kept.length) c[ref.def.name] = kept;
          else delete c[ref.def.name];
        } else delete c[ref.def.name];
      }
      if (next) changes.push({ type: m.name, id: resource.id, resource: stamp(m.name, next) });
    }
  }
  return changes;
}
