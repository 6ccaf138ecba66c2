/**
 * Attribute paths as filters, sortBy, attributes/excludedAttributes and PATCH use them
 * (RFC 7644 §3.10): `attr`, `attr.sub`, `urn:…:attr[.sub]`, in any case, aliases allowed.
 */
import { findAttribute } from '../schema/attributes';
import type { AttributeDefinition } from '../schema/types';
import type { ResourceModel } from './model';
import type { Json } from './validate';

export interface ResolvedPath {
  /** Extension URN when the attribute lives in an extension object. */
  urn: string | undefined;
  attr: AttributeDefinition;
  sub: AttributeDefinition | undefined;
}

/** Resolves `path` against a resource type; undefined when the schemas do not define it. */
export function resolvePath(model: ResourceModel, path: string): ResolvedPath | undefined {
  let urn: string | undefined;
  let defs = model.attributes;
  let rest = path;
  if (path.toLowerCase().startsWith('urn:')) {
    const lower = path.toLowerCase();
    // Longest URN first: the User URN is a prefix of nothing, but be safe with extensions.
    const candidates = [model.rt.schema, ...model.extensions.keys()].sort((a, b) => b.length - a.length);
    const hit = candidates.find((u) => lower.startsWith(u.toLowerCase() + ':'));
    if (!hit) return undefined;
    rest = path.slice(hit.length + 1);
    if (hit !== model.rt.schema) {
      urn = hit;
      defs = model.extensions.get(hit) ?? [];
    }
  }
  const parts = rest.split('.');
  if (parts.length > 2 || parts.some((p) => !p)) return undefined;
  const attr = findAttribute(defs, parts[0])?.def;
  if (!attr) return undefined;
  if (parts.length === 1) return { urn, attr, sub: undefined };
  const sub = findAttribute(attr.subAttributes ?? [], parts[1])?.def;
  return sub ? { urn, attr, sub } : undefined;
}

/** The canonical spelling of a resolved path, fully qualified for extension attributes. */
export function canonicalPath(p: ResolvedPath): string {
  const base = p.sub ? `${p.attr.name}.${p.sub.name}` : p.attr.name;
  return p.urn ? `${p.urn}:${base}` : base;
}

/** Every leaf value at the path in `resource`, arrays flattened, nulls dropped. */
export function valuesAt(resource: Json, p: ResolvedPath): unknown[] {
  const container = p.urn ? resource[p.urn] : resource;
  if (!container || typeof container !== 'object') return [];
  const top = flat((container as Json)[p.attr.name]);
  if (!p.sub) return top;
  const subName = p.sub.name;
  return top.flatMap((item) => (item && typeof item === 'object' ? flat((item as Json)[subName]) : []));
}

function flat(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.filter((x) => x !== null && x !== undefined) : [v];
}
