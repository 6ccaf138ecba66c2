/**
 * The one diff of provisioning: what plan shows, what apply sends and what a read-back is checked
 * against all come from here, with the attribute definitions the plan chose for the item, so the
 * PATCH that is sent is the change that was shown.
 */
import { diffToPatchOps, type PatchOperation } from '../scim';
import type { AttributeDefinition } from '../schema/types';
import type { Plan, PlanItem } from './types';

export function diffItem(defs: readonly AttributeDefinition[], current: Record<string, unknown>, desired: Record<string, unknown>): PatchOperation[] {
  return diffToPatchOps(current, desired, defs);
}

/** The diff of a plan item against a server state, with the plan's definitions for it. */
export function diffPlanned(plan: Plan, item: PlanItem, current: Record<string, unknown>, desired: Record<string, unknown>): PatchOperation[] {
  return diffItem(plan.attributeDefs?.get(item.key) ?? [], current, desired);
}

/** The attributes a set of operations touches, as a person reads them: `agents`, `name.givenName`. */
export function attributesOf(ops: readonly PatchOperation[]): string[] {
  return [...new Set(ops.map((o) => (o.path ?? '(whole resource)').replace(/\[.*$/, '')))];
}
