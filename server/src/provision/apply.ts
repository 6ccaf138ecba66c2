/**
 * applyPlan: carries out a plan in dependency order (what an item references is applied before
 * it), with bounded concurrency, Bulk for many creates where the server supports it, PATCH (or
 * PUT from a fresh GET) for updates, If-Match when the server supports ETags, and a read-back of
 * every write: a result says `applied` only when the server's answer shows the change.
 */
import { diffToPatchOps, isScimError, runBulk, versionOf, type BulkOperation, type PatchOperation, type ScimClient, type ScimResource } from '../scim';
import { pendingKeys, substituteIds } from './references';
import { runPool } from './pool';
import type { ApplyOptions, ApplyResult, ItemError, ItemResult, Plan, PlanItem } from './types';

export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const { client, signal } = options;
  const concurrency = options.concurrency ?? 4;
  const results = new Map<string, ItemResult>();
  const ids = new Map<string, string>();
  const byKey = new Map(plan.items.map((i) => [i.key, i]));
  let done = 0;
  const finish = (result: ItemResult) => {
    results.set(result.key, result);
    if (result.id && (result.status === 'applied' || result.status === 'unchanged')) ids.set(result.key, result.id);
    done++;
    options.onProgress?.({ done, total: plan.items.length, item: result });
  };

  for (const item of plan.items) {
    if (item.existingId) ids.set(item.key, item.existingId);
    if (item.action === 'cannot-apply') finish(resultOf(item, 'skipped', { error: { status: 0, detail: `not applied: ${item.reason ?? 'cannot be applied'}` } }));
    else if (item.action === 'unchanged') finish(resultOf(item, 'unchanged', { id: item.existingId! }));
  }
  let work = plan.items.filter((i) => i.action === 'create' || i.action === 'update');

  // Bulk for the creates, when the server supports it and there are enough of them.
  const creates = work.filter((i) => i.action === 'create');
  const bulkMode = options.bulk ?? 'auto';
  const bulkWorthIt = bulkMode === 'always' ? creates.length > 0 : bulkMode === 'auto' && creates.length >= (options.bulkThreshold ?? 4);
  if (plan.capabilities.bulk.supported === true && bulkWorthIt && !signal?.aborted) {
    const settled = await bulkCreate(client, plan, creates, ids);
    for (const result of settled) finish(result);
    work = work.filter((i) => !results.has(i.key));
  }

  // One at a time per item, in waves of items whose dependencies are settled.
  let pending = work;
  while (pending.length > 0) {
    const ready = pending.filter((i) => i.dependsOn.every((k) => results.has(k) || !byKey.has(k) || !pending.some((p) => p.key === k)));
    if (ready.length === 0) {
      for (const item of pending) finish(resultOf(item, 'skipped', { error: { status: 0, detail: 'not applied: its dependencies form a cycle' } }));
      break;
    }
    pending = pending.filter((i) => !ready.includes(i));
    await runPool(ready, concurrency, async (item) => {
      if (signal?.aborted) return finish(resultOf(item, 'skipped', { error: { status: 0, detail: 'cancelled before it was applied' } }));
      const failedDep = item.dependsOn.map((k) => results.get(k)).find((r) => r && r.status !== 'applied' && r.status !== 'unchanged' && !ids.has(r.key));
      if (failedDep) return finish(resultOf(item, 'skipped', { error: { status: 0, detail: `not applied: it references ${failedDep.label}, which was not applied` } }));
      const body = substituteIds(item.body!, ids);
      const unresolved = [...pendingKeys(body)];
      if (unresolved.length) return finish(resultOf(item, 'skipped', { error: { status: 0, detail: `not applied: ids of ${unresolved.map((k) => byKey.get(k)?.label ?? k).join(', ')} are unknown` } }));
      try {
        finish(item.action === 'create' ? await create(client, item, body) : await update(client, plan, item, body));
      } catch (error) {
        finish(resultOf(item, 'failed', { error: errorOf(error) }));
      }
    });
  }

  const items = plan.items.map((i) => results.get(i.key)!);
  const counts = { applied: 0, unchanged: 0, failed: 0, skipped: 0 };
  for (const r of items) counts[r.status]++;
  return { endpointHost: plan.endpointHost, items, counts, cancelled: Boolean(signal?.aborted) };
}

async function create(client: ScimClient, item: PlanItem, body: Record<string, unknown>): Promise<ItemResult> {
  const created = await client.createIdempotent(item.endpoint!, body, item.lookup!);
  let resource = created.resource;
  if (created.outcome === 'adopted') {
    // Found after a conflict or an ambiguous failure: bring it to the desired state as well.
    const ops = diffToPatchOps(resource, body);
    if (ops.length) resource = await client.patch(item.endpoint!, resource.id, ops, { version: versionOf(resource), read: true });
  }
  return verified(item, resource, body, created.outcome);
}

async function update(client: ScimClient, plan: Plan, item: PlanItem, body: Record<string, unknown>): Promise<ItemResult> {
  const id = item.existingId!;
  let current = plan.current.get(item.key);
  if (plan.capabilities.patch !== false) {
    for (let attempt = 0; ; attempt++) {
      const ops: PatchOperation[] = current ? diffToPatchOps(current, body) : item.diff ?? [];
      if (ops.length === 0 && current) return verified(item, current, body, 'updated');
      try {
        const resource = await client.patch(item.endpoint!, id, ops, { version: current ? versionOf(current) : item.existingVersion, read: true });
        return verified(item, resource, body, 'updated');
      } catch (error) {
        // 412: changed since it was read; read again and diff again, once.
        if (isScimError(error) && error.status === 412 && attempt === 0) {
          current = await client.get(item.endpoint!, id);
          continue;
        }
        // A server that turns out not to support PATCH (its discovery said "unknown").
        if (isScimError(error) && (error.status === 501 || error.status === 405) && plan.capabilities.patch === 'unknown') break;
        throw error;
      }
    }
  }
  // PUT replaces: start from a fresh read so nothing the manifest does not mention is lost.
  const fresh = await client.get(item.endpoint!, id);
  const { meta: _meta, ...rest } = fresh;
  void _meta;
  const resource = await client.replace(item.endpoint!, id, { ...rest, ...body, id }, { version: versionOf(fresh) });
  return verified(item, resource, body, 'updated');
}

/** Applied when the server's representation carries the desired values; otherwise say what is missing. */
function verified(item: PlanItem, resource: ScimResource, body: Record<string, unknown>, outcome: ItemResult['outcome']): ItemResult {
  const remaining = diffToPatchOps(resource, body);
  const warnings = [...(item.warnings ?? [])];
  if (remaining.length) {
    const paths = [...new Set(remaining.map((o) => o.path ?? '(resource)'))];
    warnings.push(`the server's answer does not show ${paths.join(', ')} as requested (it may ignore or rewrite ${paths.length === 1 ? 'it' : 'them'})`);
  }
  return resultOf(item, 'applied', { id: resource.id, outcome, ...(warnings.length ? { warnings } : {}) });
}

/**
 * Creates through /Bulk with `bulkId:` references between the new resources, then confirms every
 * one with a batched lookup by its key. Operations that failed ambiguously (no answer) are looked
 * up before anything is sent again; 409s are adopted when the lookup finds exactly one. Items that
 * Bulk could not settle are returned to the caller (absent from the result) for one-by-one creation.
 */
async function bulkCreate(client: ScimClient, plan: Plan, creates: PlanItem[], ids: Map<string, string>): Promise<ItemResult[]> {
  const operations: BulkOperation[] = creates.map((item) => ({
    method: 'POST', path: item.endpoint!, bulkId: item.key, data: substituteIds(item.body!, ids),
  }));
  const byKey = new Map<string, { status: number; id?: string; scimType?: string; detail?: string }>();
  try {
    const run = await runBulk(client, operations, plan.capabilities.bulk);
    for (const r of run.results) byKey.set(r.operation.bulkId!, { status: r.status, ...(r.id ? { id: r.id } : {}), ...(r.scimType ? { scimType: r.scimType } : {}), ...(r.detail ? { detail: r.detail } : {}) });
  } catch (error) {
    // The whole request failed: if it may have landed, the lookups below tell; otherwise go one by one.
    if (!isScimError(error)) throw error;
    if (!(error.ambiguous || error.kind === 'timeout' || error.kind === 'network' || error.status >= 500)) return [];
  }
  // Confirm: every create is looked up by its key, batched per endpoint and attribute.
  const found = new Map<string, ScimResource[]>();
  const groups = new Map<string, PlanItem[]>();
  for (const item of creates) {
    const g = `${item.endpoint}\u0000${item.lookup!.attribute}`;
    const group = groups.get(g);
    if (group) group.push(item);
    else groups.set(g, [item]);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    const hits = await client.findManyByAttribute(first.endpoint!, first.lookup!.attribute, group.map((i) => i.lookup!.value), { caseExact: first.lookup!.caseExact });
    for (const item of group) found.set(item.key, hits.get(item.lookup!.value) ?? []);
  }
  // The ids known before the request plus those Bulk assigned: what the bodies are compared with.
  const known = new Map(ids);
  for (const [k, a] of byKey) if (a.id) known.set(k, a.id);
  const out: ItemResult[] = [];
  for (const item of creates) {
    const answer = byKey.get(item.key);
    const hits = found.get(item.key) ?? [];
    const ok = answer && answer.status >= 200 && answer.status < 300;
    if (hits.length === 1 && (!ok || !answer.id || answer.id === hits[0]!.id)) {
      const body = substituteIds(item.body!, known);
      ids.set(item.key, hits[0]!.id);
      known.set(item.key, hits[0]!.id);
      out.push(verified(item, hits[0]!, body, ok ? 'created' : 'adopted'));
    } else if (hits.length > 1) {
      out.push(resultOf(item, 'failed', { error: { status: 409, scimType: 'uniqueness', detail: `${hits.length} resources match ${item.lookup!.attribute} "${item.lookup!.value}" after the Bulk request` } }));
    } else if (answer && answer.status >= 400 && answer.status !== 409) {
      out.push(resultOf(item, 'failed', { error: { status: answer.status, ...(answer.scimType ? { scimType: answer.scimType } : {}), detail: answer.detail ?? `Bulk operation failed with ${answer.status}` } }));
    }
    // Otherwise (no answer, dependency not sent, or 409 without a match): left for one-by-one creation.
  }
  return out;
}

function resultOf(item: PlanItem, status: ItemResult['status'], extra: Partial<ItemResult> = {}): ItemResult {
  return { key: item.key, uri: item.uri, span: item.span, label: item.label, action: item.action, status, ...extra };
}

/** status, scimType and detail of a failure; messages are already scrubbed of secrets by the client. */
export function errorOf(error: unknown): ItemError {
  if (isScimError(error)) {
    return { status: error.status, ...(error.scimType ? { scimType: error.scimType } : {}), detail: error.detail ?? error.message };
  }
  return { status: 0, detail: error instanceof Error ? error.message : String(error) };
}
