/**
 * Reuse of unchanged documents across an edit that moved them. A document whose text did not
 * change but whose offset did is not parsed again: its nodes are copied with shifted spans
 * (parse.ts), and the resource built from it remembers where it came from, so that the layers
 * above (binding, findings, keys) can shift what they computed for the old resource instead
 * of computing it again. So a keystroke costs the documents it touched plus a cheap shift of
 * the ones after it, never their binding and rules.
 */
import type { ManifestNode, ManifestResource, MapEntry } from './model';

/** Old node or entry → its shifted copy, for one moved document. */
export type ShiftMemo = Map<ManifestNode | MapEntry, ManifestNode | MapEntry>;

export interface ShiftOrigin {
  /** The resource of the previous parse this one is a shifted copy of. */
  from: ManifestResource;
  /** How far its spans moved. */
  delta: number;
  memo: ShiftMemo;
}

const origins = new WeakMap<ManifestResource, ShiftOrigin>();

/**
 * Where a resource came from, when it is a shifted copy of one of the previous parse; once
 * only: the record holds the previous version's nodes, which must not outlive the shift (else
 * every version of a typed-in file would stay reachable from the latest).
 */
export function takeShiftOrigin(resource: ManifestResource): ShiftOrigin | undefined {
  const origin = origins.get(resource);
  origins.delete(resource);
  return origin;
}

/** The previous parse's resource moved by `delta`: same value, shifted tree, origin recorded. */
export function shiftedResource(from: ManifestResource, root: ManifestResource['root'], delta: number, memo: ShiftMemo): ManifestResource {
  const out: ManifestResource = { ...from, root };
  origins.set(out, { from, delta, memo });
  return out;
}

export function shiftSpan<S extends { start: number; end: number }>(span: S, delta: number): S {
  return { ...span, start: span.start + delta, end: span.end + delta };
}
