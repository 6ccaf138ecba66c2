/** Where a resource keeps the values of a reference attribute: read by the indexes, the integrity checks and rendering alike. */
import type { ReferenceAttribute } from './model';
import { isPlainObject, type Json } from './validate';

/** The container object that holds a reference attribute (the resource, or its extension object). */
export function container(resource: Json, ref: ReferenceAttribute): Json | undefined {
  const c = ref.schemaUrn ? resource[ref.schemaUrn] : resource;
  return isPlainObject(c) ? c : undefined;
}

export function referenceItems(resource: Json, ref: ReferenceAttribute): Json[] {
  const v = container(resource, ref)?.[ref.def.name];
  const items = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return items.filter(isPlainObject);
}
