/**
 * Turns a stored resource into what clients see: absolute meta.location, `$ref` and
 * `display` of references filled from their targets, and the computed back-references
 * (User.groups, Agent.groups, Agent.applications).
 */
import { findAttribute } from '../schema/attributes';
import type { AttributeDefinition } from '../schema/types';
import { effectiveCharacteristics } from './characteristics';
import { findTarget } from './integrity';
import { referenceItems } from './references';
import type { StoredResource } from './journal';
import { labelOf, type ReferenceAttribute, type ResourceModel, type SandboxModel } from './model';
import type { Store } from './store';
import { isPlainObject, type Json } from './validate';

export interface RenderContext {
  store: Store;
  model: SandboxModel;
  baseUrl: string;
}

export function locationOf(ctx: RenderContext, type: string, id: string): string {
  const m = ctx.model.byName.get(type);
  return `${ctx.baseUrl}/${m ? m.path : type}/${encodeURIComponent(id)}`;
}

/** Replaces the reference items of `ref` in `out` (and their container) by copies. */
function copyReferenceItems(out: Json, ref: ReferenceAttribute): void {
  let holder = out;
  if (ref.schemaUrn) {
    const ext = out[ref.schemaUrn];
    if (!isPlainObject(ext)) return;
    holder = out[ref.schemaUrn] = { ...ext };
  }
  const v = holder[ref.def.name];
  if (Array.isArray(v)) holder[ref.def.name] = v.map((i) => (isPlainObject(i) ? { ...i } : i));
  else if (isPlainObject(v)) holder[ref.def.name] = { ...v };
}

const filled = new WeakMap<ReferenceAttribute, { refSub: AttributeDefinition | undefined; displaySub: AttributeDefinition | undefined }>();

/** The sub-attributes rendering fills in a reference's items ($ref, a read-only display), once per reference attribute. */
function filledSubs(ref: ReferenceAttribute): { refSub: AttributeDefinition | undefined; displaySub: AttributeDefinition | undefined } {
  let f = filled.get(ref);
  if (!f) {
    const subs = ref.def.subAttributes ?? [];
    f = {
      refSub: findAttribute(subs, '$ref')?.def,
      displaySub: ['display', 'displayName'].map((n) => findAttribute(subs, n)?.def).find((d) => d && effectiveCharacteristics(d).mutability === 'readOnly'),
    };
    filled.set(ref, f);
  }
  return f;
}

export function render(ctx: RenderContext, model: ResourceModel, stored: StoredResource): Json {
  // Copied only where rendering writes (meta, the reference items and what holds them); the
  // rest is shared with the stored resource, which nothing downstream modifies. A deep copy of
  // every resource was most of the cost of a listing.
  const out: Json = { ...stored };
  const meta = (out.meta ?? {}) as Json;
  out.meta = { ...meta, location: locationOf(ctx, model.name, stored.id) };
  for (const ref of model.references) copyReferenceItems(out, ref);

  for (const ref of model.references) {
    const { refSub, displaySub } = filledSubs(ref);
    for (const item of referenceItems(out, ref)) {
      if (typeof item.value !== 'string') continue;
      const target = findTarget(ctx.store, ref.targets, item.value);
      if (!target) continue;
      if (refSub) item[refSub.name] = locationOf(ctx, target.type, item.value);
      const label = labelOf(ctx.model.byName.get(target.type)!, target.resource);
      if (displaySub && label !== undefined) item[displaySub.name] = label;
    }
  }

  for (const back of model.backReferences) {
    const from = ctx.model.byName.get(back.fromType)!;
    const via = from.references.find((r) => r.def.name === back.via);
    if (!via) continue;
    const subs = findAttribute(model.attributes, back.attribute)!.def.subAttributes ?? [];
    const has = (n: string) => findAttribute(subs, n) !== undefined;
    const values: Json[] = [];
    for (const source of ctx.store.referencing(from.name, via, stored.id)) {
      const v: Json = { value: source.id };
      if (has('$ref')) v.$ref = locationOf(ctx, from.name, source.id);
      const label = labelOf(from, source);
      if (has('display') && label !== undefined) v.display = label;
      if (has('type')) v.type = 'direct';
      values.push(v);
    }
    if (values.length) out[back.attribute] = values;
  }
  // meta last, as in the RFC's examples, after the computed attributes.
  const { meta: finalMeta, ...rest } = out;
  return { ...rest, meta: finalMeta };
}
