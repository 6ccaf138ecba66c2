/** Reading a bound resource's values: an attribute's binding, its values as a list with their nodes, a sub-attribute's value and span. */
import type { ManifestNode } from '../manifest/model';
import type { Span } from '../manifest/text';
import type { BoundAttribute, BoundResource } from './bind';

/** A top-level attribute's binding by canonical name. */
export function attr(bound: BoundResource, name: string): BoundAttribute | undefined {
  return bound.top.get(name);
}

export interface ValueItem {
  index: number;
  value: unknown;
  pointer: string;
  node: ManifestNode;
}

/** The values of an attribute as a list: one for a single value, each element for a multi-valued one. */
export function valuesOf(bound: BoundResource, name: string): ValueItem[] {
  const b = attr(bound, name);
  if (!b) return [];
  const value = bound.normalized[name];
  if (Array.isArray(value)) {
    // A loop, not flatMap: a list per item, and every record of a lint asks for its owners.
    const items: ValueItem[] = [];
    for (let index = 0; index < value.length; index++) {
      const pointer = `${b.pointer}/${index}`;
      const node = bound.nodes.get(pointer);
      if (node) items.push({ index, value: value[index], pointer, node });
    }
    return items;
  }
  if (value === null || value === undefined) return [];
  return [{ index: 0, value, pointer: b.pointer, node: b.entry.value }];
}

/** A sub-attribute of a complex value, with the span of its value. */
export function subValue(bound: BoundResource, item: ValueItem, sub: string): { value: unknown; span: Span } | undefined {
  if (!item.value || typeof item.value !== 'object' || Array.isArray(item.value)) return undefined;
  const value = (item.value as Record<string, unknown>)[sub];
  if (value === undefined) return undefined;
  const node = bound.nodes.get(`${item.pointer}/${sub}`);
  return { value, span: node?.span ?? item.node.span };
}

/** Whether an attribute carries a value: RFC 7643 §2.5 treats null and [] as unassigned. */
export function isAssigned(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'string') return v.trim() !== '';
  return true;
}
