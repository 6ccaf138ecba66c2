/**
 * A binding moved with its document (see manifest/incremental.ts): the previous binding with
 * every node and entry swapped for its shifted copy. No schema lookup, no normalisation: the
 * normalized value is shared, and what was computed on the old binding (resource findings,
 * index keys, cross-file findings) is carried over shifted by the same delta.
 */
import type { ManifestResource, ParsedManifest } from '../manifest/model';
import { shiftSpan, type ShiftOrigin } from '../manifest/incremental';
import type { BoundAttribute, BoundResource } from '../model/bind';

type Carrier = (before: BoundResource, after: BoundResource, delta: number) => void;
const carriers: Carrier[] = [];

/** Registers what to carry over from a binding to its shifted copy (each cache registers itself). */
export function onShift(carry: Carrier): void {
  carriers.push(carry);
}

export function shiftBinding(before: BoundResource, resource: ManifestResource, manifest: ParsedManifest, origin: ShiftOrigin): BoundResource {
  const { memo, delta } = origin;
  const map = <T extends object>(x: T): T => (memo.get(x as never) as T | undefined) ?? x;
  const attrs = new Map<BoundAttribute, BoundAttribute>();
  const attributes = before.attributes.map((a) => {
    // Parents are bound (and listed) before their sub-attributes.
    const parent = a.parent && attrs.get(a.parent);
    const out: BoundAttribute = { ...a, entry: map(a.entry), ...(parent ? { parent } : {}) };
    attrs.set(a, out);
    return out;
  });
  const top = new Map<string, BoundAttribute>();
  for (const [k, a] of before.top) top.set(k, attrs.get(a) ?? a);
  const nodes = new Map<string, BoundResource['nodes'] extends Map<string, infer N> ? N : never>();
  for (const [k, n] of before.nodes) nodes.set(k, map(n));
  const owners = new Map<string, BoundResource['owners'] extends Map<string, infer E> ? E : never>();
  for (const [k, e] of before.owners) owners.set(k, map(e));
  const after: BoundResource = {
    ...before,
    manifest,
    resource,
    attributes,
    top,
    nodes,
    owners,
    declaredSchemas: before.declaredSchemas.map((d) => ({ ...d, span: shiftSpan(d.span, delta) })),
    ...(before.schemasEntry ? { schemasEntry: map(before.schemasEntry) } : {}),
    ...(before.unknownProfile
      ? { unknownProfile: { ...before.unknownProfile, ...(before.unknownProfile.entry ? { entry: map(before.unknownProfile.entry) } : {}) } }
      : {}),
  };
  for (const carry of carriers) carry(before, after, delta);
  return after;
}
