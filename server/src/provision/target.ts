/**
 * `--target KEY`: limits a plan to named resources and what they depend on (transitively), as
 * terraform's -target does. The whole workspace is still planned, so references resolve exactly
 * as without a target; only the items outside the selection are left out of the result, and the
 * counts are taken again. A key is a reference (`agent:support-triage`, `application:platform`)
 * or a bare externalId or name that must name exactly one resource.
 */
import { resourceAnchor } from '../workspace/keys';
import type { BoundResource } from '../model/bind';
import type { WorkspaceIndex } from '../workspace/index';
import { parseReference, REFERENCE_KINDS, RESOURCE_TYPE_OF } from '../workspace/references';
import { countActions } from './plan';
import type { Plan } from './types';

export class TargetError extends Error {}

/** The resources the keys name; throws TargetError for a key naming none, or (bare) several. */
export function resolveTargets(index: WorkspaceIndex, keys: readonly string[]): BoundResource[] {
  const out = new Set<BoundResource>();
  for (const key of keys) {
    const ref = parseReference(key);
    const hits = ref ? index.resolve(ref) : [...new Set(REFERENCE_KINDS.flatMap((kind) => index.lookup(RESOURCE_TYPE_OF[kind], key.trim())))];
    if (hits.length === 0) throw new TargetError(`--target "${key}" names no resource of the manifests.`);
    if (hits.length > 1 && !ref) throw new TargetError(`--target "${key}" names ${hits.length} resources; prefix it (agent:, application:, user:, group:).`);
    for (const h of hits) out.add(h);
  }
  return [...out];
}

/** The plan reduced to the targeted resources' items and, transitively, the items they depend on. */
export function restrictPlan(plan: Plan, targets: readonly BoundResource[]): Plan {
  const wanted = new Set(targets.map((r) => `${r.uri}\u0000${resourceAnchor(r).start}`));
  const byKey = new Map(plan.items.map((i) => [i.key, i]));
  const keep = new Set<string>();
  const stack = plan.items.filter((i) => wanted.has(`${i.uri}\u0000${i.span.start}`)).map((i) => i.key);
  while (stack.length) {
    const key = stack.pop()!;
    if (keep.has(key)) continue;
    keep.add(key);
    for (const dep of byKey.get(key)?.dependsOn ?? []) stack.push(dep);
  }
  const items = plan.items.filter((i) => keep.has(i.key));
  const current = new Map([...plan.current].filter(([k]) => keep.has(k)));
  return { ...plan, items, counts: countActions(items), current };
}
