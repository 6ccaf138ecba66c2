import type { ManifestNode } from './model';

/** A node as plain JSON (keys as written, every value copied). */
export function plainValue(node: ManifestNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plainValue);
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key] = plainValue(e.value);
  return out;
}
