/**
 * Provisioning state from a plan (provision/plan.ts): the plan already looked every resource up
 * on the server and diffed it, so the inventory reads its verdict instead of asking again.
 */
import { attributesOf } from '../provision/diff';
import type { Plan, PlanItem } from '../provision/types';
import type { BoundResource } from '../model/bind';
import { resourceAnchor } from '../workspace/keys';
import type { InventoryProvisioning } from './types';

/** The plan item of a resource: same file, same anchor (the plan anchors items where resourceAnchor does). */
export function planItemFor(plan: Plan, r: BoundResource): PlanItem | undefined {
  const anchor = resourceAnchor(r);
  return plan.items.find((i) => i.uri === r.uri && i.span.start === anchor.start && i.span.end === anchor.end);
}

export function provisioningOf(item: PlanItem | undefined, orphaned: boolean): InventoryProvisioning | undefined {
  if (!item) return undefined;
  const id = item.existingId ? { id: item.existingId } : {};
  // An orphaned agent is the finding an auditor acts on, whatever the diff says.
  if (orphaned) return { state: 'orphaned', action: item.action, ...id, detail: 'an owner is inactive, deleted or an empty group on the server' };
  switch (item.action) {
    case 'unchanged':
      return { state: 'in-sync', action: item.action, ...id };
    case 'update': {
      const paths = attributesOf(item.diff ?? []);
      return { state: 'drifted', action: item.action, ...id, detail: `differs from the manifest in ${paths.join(', ') || 'some attributes'}` };
    }
    case 'create':
      return { state: 'not-provisioned', action: item.action, detail: 'not on the server yet' };
    default:
      return { state: 'blocked', action: item.action, ...id, detail: item.reason ?? 'cannot be applied' };
  }
}
