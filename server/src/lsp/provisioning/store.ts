/**
 * What the server remembers between provisioning commands: the plans it has shown (apply takes
 * only one of those, by id, and only while its files are unchanged), and per resource the last
 * known provisioning state that code lenses show. Tokens are never kept here.
 */
import { randomUUID } from 'node:crypto';
import type { Plan } from '../../provision';
import type { BoundResource } from '../../model/bind';

export interface StoredPlan {
  id: string;
  plan: Plan;
  /** Text of every planned file when the plan was made: apply refuses if one moved on. */
  texts: Map<string, string>;
  fallback?: 'linked-user';
}

export type SyncState = 'in-sync' | 'drifted' | 'not-provisioned' | 'cannot-apply' | 'failed' | 'deactivated' | 'deleted';

export interface ResourceSync {
  state: SyncState;
  /** drifted: how many attribute changes the server needs. */
  changes?: number;
  /** cannot-apply / failed: why. */
  reason?: string;
  endpointHost: string;
  /** The resource as it was when this state was learnt (canonical JSON), to notice later edits. */
  snapshot: string;
  /** Set when a later plan against the endpoint failed: why. The state above may be out of date. */
  stale?: string;
}

const MAX_PLANS = 20;

export class ProvisioningStore {
  private readonly plans = new Map<string, StoredPlan>();
  /** uri -> resource label -> state. */
  private readonly sync = new Map<string, Map<string, ResourceSync>>();

  addPlan(plan: Plan, texts: Map<string, string>, fallback?: 'linked-user'): StoredPlan {
    const stored: StoredPlan = { id: randomUUID(), plan, texts, ...(fallback ? { fallback } : {}) };
    this.plans.set(stored.id, stored);
    while (this.plans.size > MAX_PLANS) this.plans.delete(this.plans.keys().next().value!);
    return stored;
  }

  getPlan(id: string): StoredPlan | undefined {
    return this.plans.get(id);
  }

  /** A plan is applied at most once. */
  consumePlan(id: string): void {
    this.plans.delete(id);
  }

  setSync(uri: string, label: string, sync: ResourceSync): void {
    const byLabel = this.sync.get(uri) ?? new Map<string, ResourceSync>();
    byLabel.set(label, sync);
    this.sync.set(uri, byLabel);
  }

  /** A plan of these files failed: what the lenses show can no longer be trusted. */
  markStale(uris: readonly string[], reason: string): void {
    for (const uri of uris) for (const sync of this.sync.get(uri)?.values() ?? []) sync.stale = reason;
  }

  getSync(uri: string, label: string): ResourceSync | undefined {
    return this.sync.get(uri)?.get(label);
  }
}

/** The resource's content in a stable form (key order and attribute-name case ignored). */
export function snapshotOf(resource: BoundResource): string {
  return JSON.stringify(canonical(resource.normalized));
}

/** How many top-level attributes differ between two snapshots. */
export function changedAttributes(a: string, b: string): number {
  const x = JSON.parse(a) as Record<string, unknown>;
  const y = JSON.parse(b) as Record<string, unknown>;
  let n = 0;
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) n++;
  return n;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key.toLowerCase()] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
