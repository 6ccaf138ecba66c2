/**
 * Answering filters from the indexes. `eq` on an indexed attribute, and `or` of such, are
 * answered exactly by the index; `and` with one such part narrows the candidates, which the
 * full filter then tests. Anything else is tested on every resource of the type. The full
 * filter semantics (filter.ts) stay the reference: an index hit is exactly a match because
 * index keys follow the attribute's caseExact as the comparison does.
 *
 * Testing needs the rendered resource only when the filter looks at what rendering adds
 * (meta.location, `$ref`/`display` of references, computed back-references); otherwise it runs
 * on the stored resource, and only the page that is returned is rendered.
 */
import type { Filter } from 'scim2-parse-filter';
import { findIndexed } from './indexes';
import type { StoredResource } from './journal';
import type { ResourceModel } from './model';
import { resolvePath } from './paths';
import type { Store } from './store';

export interface Candidates {
  resources: StoredResource[];
  /** True when every candidate matches the filter (no further test needed). */
  exact: boolean;
}

/** The resources the filter can match, from the indexes; undefined when it needs a scan. */
export function candidates(store: Store, model: ResourceModel, f: Filter): Candidates | undefined {
  switch (f.op) {
    case 'eq': {
      if (typeof f.compValue !== 'string') return undefined;
      const p = resolvePath(model, f.attrPath);
      // An attribute the type lacks matches nothing (at the root) or was refused already.
      if (!p) return { resources: [], exact: true };
      // `id` (caseExact, unique) is the store's own key: a read-back by `id eq … or …` costs
      // one map read per id, not a scan of the type.
      if (!p.urn && !p.sub && p.attr.name === 'id') {
        const r = store.get(model.name, f.compValue);
        return { resources: r ? [r] : [], exact: true };
      }
      const attr = p.sub ? undefined : findIndexed(model, p.urn, p.attr.name);
      return attr ? { resources: store.find(model.name, attr, f.compValue), exact: true } : undefined;
    }
    case 'or': {
      const parts = f.filters.map((c) => candidates(store, model, c));
      if (parts.some((c) => c === undefined)) return undefined;
      const byId = new Map<string, StoredResource>();
      for (const c of parts) for (const r of c!.resources) byId.set(r.id, r);
      return { resources: store.inCreationOrder([...byId.values()]), exact: parts.every((c) => c!.exact) };
    }
    case 'and': {
      let best: Candidates | undefined;
      for (const c of f.filters) {
        const found = candidates(store, model, c);
        if (found && (!best || found.resources.length < best.resources.length)) best = found;
      }
      return best && { resources: best.resources, exact: false };
    }
    default:
      return undefined;
  }
}

/** Attributes of a reference item that rendering fills in from the target. */
const RENDERED_SUBS = new Set(['$ref', 'display', 'displayname']);

/**
 * Whether an attribute path may name something only the rendered resource has; `whole` when the
 * path stands for whole items (`attr[...]`, sorting), whose rendered parts may be looked at.
 */
export function pathNeedsRender(model: ResourceModel, path: string, whole = false): boolean {
  const p = resolvePath(model, path);
  if (!p) return false;
  if (!p.urn && (p.attr.name === 'meta' || model.backReferences.some((b) => b.attribute === p.attr.name))) return true;
  const isReference = model.references.some((r) => r.schemaUrn === p.urn && r.def.name === p.attr.name);
  if (!isReference) return false;
  // `owners.value eq "…"` or `owners eq "…"` (its value) looks only at what is stored.
  return whole || (p.sub !== undefined && RENDERED_SUBS.has(p.sub.name.toLowerCase()));
}

/** Whether testing the filter needs the rendered resource. */
export function filterNeedsRender(model: ResourceModel, f: Filter): boolean {
  switch (f.op) {
    case 'and':
    case 'or':
      return f.filters.some((c) => filterNeedsRender(model, c));
    case 'not':
      return filterNeedsRender(model, f.filter);
    case '[]':
      return pathNeedsRender(model, f.attrPath, true);
    default:
      return pathNeedsRender(model, f.attrPath);
  }
}
