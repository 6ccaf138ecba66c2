import type { ManifestNode, MapEntry, ScalarNode } from '../manifest/model';
import type { BoundAttribute, BoundResource } from '../model/bind';
import type { FileAnalysis } from '../workspace/index';
import { parseReference, slotFor, type KeyReference } from '../workspace/references';
import { contains } from './convert';

/** The resource whose root holds the offset. */
export function resourceAt(analysis: FileAnalysis, offset: number): BoundResource | undefined {
  return analysis.resources.find((r) => contains(r.resource.root.span, offset));
}

/** The innermost attribute whose key holds the offset. */
export function attributeKeyAt(r: BoundResource, offset: number): BoundAttribute | undefined {
  let best: BoundAttribute | undefined;
  for (const a of r.attributes) {
    if (contains(a.entry.keySpan, offset) && (!best || a.entry.keySpan.start >= best.entry.keySpan.start)) best = a;
  }
  return best;
}

/** The innermost attribute whose scalar value (or scalar list element) holds the offset. */
export function scalarValueAt(r: BoundResource, offset: number): { attribute: BoundAttribute; node: ScalarNode } | undefined {
  let found: { attribute: BoundAttribute; node: ScalarNode } | undefined;
  for (const a of r.attributes) {
    const v = a.entry.value;
    const scalars: ManifestNode[] = v.kind === 'seq' ? v.items : [v];
    for (const s of scalars) {
      if (s.kind === 'scalar' && s.span.end > s.span.start && contains(s.span, offset)) {
        if (!found || s.span.start >= found.node.span.start) found = { attribute: a, node: s };
      }
    }
  }
  return found;
}

/** A `user:`/`group:`/`agent:`/`application:` reference in a reference slot, at the offset. */
export function referenceAt(r: BoundResource, offset: number): { ref: KeyReference; node: ScalarNode; attribute: BoundAttribute } | undefined {
  const hit = scalarValueAt(r, offset);
  if (!hit || !isReferenceValue(r, hit.attribute)) return undefined;
  const ref = parseReference(hit.node.value);
  return ref ? { ref, node: hit.node, attribute: hit.attribute } : undefined;
}

/** Whether an attribute is the `value` of a reference slot (owners, parent, agents, members). */
export function isReferenceValue(r: BoundResource, a: BoundAttribute): boolean {
  return a.canonicalName === 'value' && !!a.parent?.canonicalName && !a.parent.parent && !!slotFor(r.resourceType?.name, a.parent.canonicalName);
}

/** The entry naming a resource (its human key, else externalId), for go-to-definition. */
export function keyEntryOf(r: BoundResource, humanKey: string | undefined): MapEntry | undefined {
  const names = [humanKey, 'externalId'].filter((n): n is string => Boolean(n));
  for (const n of names) {
    const b = r.top.get(n);
    if (b) return b.entry;
  }
  return undefined;
}
