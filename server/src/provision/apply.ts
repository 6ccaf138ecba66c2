/**
 * applyPlan: carries out a plan in dependency order (what an item references is applied before
 * it), with bounded concurrency, Bulk for many creates where the server supports it, PATCH (or
 * PUT from a fresh GET) for updates, If-Match when the server supports ETags, and a read-back of
 * every write: a result says `applied` only when the server's answer shows the change.
 */
import {
  anyOfFilter,
  chunkForOrFilters,
  isAddressableId,
  isScimError,
  lookupTrusted,
  runBulk,
  ScimError,
  unaddressableIdDetail,
  versionOf,
  type BulkOperation,
  type PatchOperation,
  type ScimClient,
  type ScimResource,
} from '../scim';
import { attributesOf, diffPlanned } from './diff';
import { pendingKeys, substituteIds } from './references';
import { runPool } from '../util/pool';
import { appendTo } from '../util/maps';
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
    if (item.action === 'cannot-apply')
      finish(resultOf(item, 'skipped', { error: { status: 0, detail: `not applied: ${item.reason ?? 'cannot be applied'}` } }));
    else if (item.action === 'unchanged') finish(resultOf(item, 'unchanged', { id: item.existingId! }));
  }
  let work = plan.items.filter((i) => i.action === 'create' || i.action === 'update');

  // Bulk for the creates, when the server supports it and there are enough of them.
  const creates = work.filter((i) => i.action === 'create');
  const bulkMode = options.bulk ?? 'auto';
  const bulkWorthIt = bulkMode === 'always' ? creates.length > 0 : bulkMode === 'auto' && creates.length >= (options.bulkThreshold ?? 4);
  if (plan.capabilities.bulk.supported === true && bulkWorthIt && !signal?.aborted) {
    const settled = await bulkCreate(client, plan, creates, ids, concurrency);
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
      if (failedDep)
        return finish(resultOf(item, 'skipped', { error: { status: 0, detail: `not applied: it references ${failedDep.label}, which was not applied` } }));
      const body = substituteIds(item.body!, ids);
      const unresolved = [...pendingKeys(body)];
      if (unresolved.length)
        return finish(
          resultOf(item, 'skipped', {
            error: { status: 0, detail: `not applied: ids of ${unresolved.map((k) => byKey.get(k)?.label ?? k).join(', ')} are unknown` },
          }),
        );
      try {
        finish(item.action === 'create' ? await create(client, plan, item, body) : await update(client, plan, item, body));
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

async function create(client: ScimClient, plan: Plan, item: PlanItem, body: Record<string, unknown>): Promise<ItemResult> {
  const created = await client.createIdempotent(item.endpoint!, body, item.lookup!);
  // Adopted after a conflict or an ambiguous failure: brought to the desired state by the same check.
  return settle(client, plan, item, created.resource, body, created.outcome);
}

async function update(client: ScimClient, plan: Plan, item: PlanItem, body: Record<string, unknown>): Promise<ItemResult> {
  const id = item.existingId!;
  let current = plan.current.get(item.key);
  if (plan.capabilities.patch !== false) {
    try {
      const resource = await conditionally(client, item.endpoint!, id, current ? versionOf(current) : item.existingVersion, async (version, fresh) => {
        if (fresh) current = fresh;
        const ops: PatchOperation[] = current ? diffPlanned(plan, item, current, body) : (item.diff ?? []);
        if (ops.length === 0 && current) return current;
        return patchEach(client, item.endpoint!, id, ops, version);
      });
      return await settle(client, plan, item, resource, body, 'updated');
    } catch (error) {
      // A server that turns out not to support PATCH (its discovery said "unknown").
      if (!(isScimError(error) && (error.status === 501 || error.status === 405) && plan.capabilities.patch === 'unknown')) throw error;
    }
  }
  const resource = await putMerged(client, item.endpoint!, id, body);
  return settle(client, plan, item, resource, body, 'updated');
}

/** PUT replaces: start from a fresh read so nothing the manifest does not mention is lost. */
async function putMerged(client: ScimClient, endpoint: string, id: string, body: Record<string, unknown>): Promise<ScimResource> {
  return conditionally(client, endpoint, id, undefined, async (version, fresh) => {
    const read = fresh ? { resource: fresh, version } : await client.read(endpoint, id);
    const { meta: _meta, ...rest } = read.resource;
    return client.replace(endpoint, id, { ...rest, ...body, id }, { version: read.version });
  });
}

/**
 * A write under preconditions (RFC 7644 §3.14). 428: the server insists on If-Match although it
 * may not advertise ETags: the client learns to send it, from a fresh read. 412: the resource
 * changed since it was read: read again, and `write` diffs again; once. A second refusal is
 * reported in words.
 */
export async function conditionally<T>(
  client: ScimClient,
  endpoint: string,
  id: string,
  version: string | undefined,
  write: (version: string | undefined, fresh?: ScimResource) => Promise<T>,
): Promise<T> {
  let learnedIfMatch = false;
  let reread = false;
  let fresh: ScimResource | undefined;
  for (;;) {
    try {
      return await write(version, fresh);
    } catch (error) {
      if (!isScimError(error)) throw error;
      if (error.status === 428 && !learnedIfMatch) {
        learnedIfMatch = true;
        client.useEtags = true;
      } else if (error.status === 412 && !reread) {
        reread = true;
      } else if (error.status === 412 || error.status === 428) {
        throw new ScimError({
          kind: 'http',
          status: error.status,
          method: error.method,
          url: error.url,
          detail:
            error.status === 412
              ? 'the resource changed on the server again while it was being written (412 after a fresh read); nothing more was sent: run plan again'
              : 'the server requires If-Match but refused the version it had just returned (428); nothing more was sent',
        });
      } else throw error;
      const read = await client.read(endpoint, id);
      fresh = read.resource;
      version = read.version;
    }
  }
}

/**
 * PATCH; when the server refuses a PATCH of several operations with a 400, each operation is sent
 * on its own, so one attribute the server does not support cannot sink the other changes. The
 * refused ones are then reported with the state the others left.
 */
async function patchEach(client: ScimClient, endpoint: string, id: string, ops: PatchOperation[], version: string | undefined): Promise<ScimResource> {
  try {
    return await client.patch(endpoint, id, ops, { version, read: true });
  } catch (error) {
    if (!(isScimError(error) && error.status === 400 && ops.length > 1)) throw error;
  }
  const refused: { op: PatchOperation; error: ScimError }[] = [];
  let resource: ScimResource | undefined;
  for (const op of ops) {
    try {
      resource = await client.patch(endpoint, id, [op], { version: resource ? versionOf(resource) : version, read: true });
    } catch (error) {
      if (!(isScimError(error) && error.status === 400)) throw error;
      refused.push({ op, error });
    }
  }
  if (refused.length === 0) return resource!;
  const first = refused[0]!.error;
  throw new ScimError({
    kind: 'http',
    status: 400,
    ...(first.scimType ? { scimType: first.scimType } : {}),
    method: 'PATCH',
    url: first.url,
    detail: `the server refused ${attributesOf(refused.map((r) => r.op)).join(', ')}${first.detail ? ` (${first.detail})` : ''}; ${refused.length === ops.length ? 'nothing was changed' : 'the other changes were applied'}. Every plan will show this change until the manifest stops asking for it`,
  });
}

/**
 * Truth after a write: what the server holds is compared with what was meant. A difference is
 * repaired by one PATCH (or PUT) where it can be; what still differs is a failure, said in words.
 */
async function settle(
  client: ScimClient,
  plan: Plan,
  item: PlanItem,
  held: ScimResource,
  meant: Record<string, unknown>,
  outcome: ItemResult['outcome'],
): Promise<ItemResult> {
  if (!isAddressableId(held.id)) return resultOf(item, 'failed', { error: { status: 0, detail: unaddressableIdDetail(held.id) } });
  const missing = diffPlanned(plan, item, held, meant);
  if (missing.length === 0) return appliedResult(item, held.id, outcome);
  const what = explainDifference(plan, held, missing);
  let after: ScimResource;
  try {
    after =
      plan.capabilities.patch !== false
        ? await conditionally(client, item.endpoint!, held.id, versionOf(held), (version, fresh) =>
            patchEach(client, item.endpoint!, held.id, fresh ? diffPlanned(plan, item, fresh, meant) : missing, version),
          )
        : await putMerged(client, item.endpoint!, held.id, meant);
  } catch (error) {
    return resultOf(item, 'failed', {
      id: held.id,
      outcome,
      error: { ...errorOf(error), detail: `${what}; the repair was refused: ${errorOf(error).detail}` },
    });
  }
  const still = diffPlanned(plan, item, after, meant);
  if (still.length) {
    return resultOf(item, 'failed', {
      id: held.id,
      outcome,
      error: {
        status: 0,
        detail: `${what}; a repair was sent and the server still does not hold ${attributesOf(still).join(', ')} as meant (it ignores or rewrites ${still.length === 1 ? 'it' : 'them'}, so every apply will try again)`,
      },
    });
  }
  return resultOf(item, 'applied', {
    id: held.id,
    outcome,
    warnings: [...(item.warnings ?? []), `${what}; repaired with a follow-up ${plan.capabilities.patch !== false ? 'PATCH' : 'PUT'}`],
  });
}

/** What differs, as a person reads it; a `bulkId:` placeholder the server kept is named as the resource it stood for. */
function explainDifference(plan: Plan, held: ScimResource, missing: PatchOperation[]): string {
  const labels = new Map(plan.items.map((i) => [i.key, i.label]));
  const placeholders = [...pendingKeys(held)];
  if (placeholders.length) {
    const named = placeholders.map((k) => `"bulkId:${k}"${labels.has(k) ? ` instead of the id of ${labels.get(k)}` : ''}`).join(', ');
    return `the server kept the placeholder ${named} (its Bulk did not substitute every reference)`;
  }
  return `after the write the server did not hold ${attributesOf(missing).join(', ')} as sent`;
}

/**
 * Creates through /Bulk with `bulkId:` references between the new resources. Every operation the
 * server answered with an id (its `location`) is confirmed by a GET on that id, not by a filter
 * (filters may lag behind the write), then checked and repaired like any write. Operations that
 * got no answer are looked up (by a lookup whose "absent" can be believed) before anything is
 * sent again. Items Bulk did not settle are returned to the caller (absent from the result) for
 * one-by-one creation, which adopts on a 409.
 */
async function bulkCreate(client: ScimClient, plan: Plan, creates: PlanItem[], ids: Map<string, string>, concurrency: number): Promise<ItemResult[]> {
  const operations: BulkOperation[] = creates.map((item) => ({
    method: 'POST',
    path: item.endpoint!,
    bulkId: item.key,
    data: substituteIds(item.body!, ids),
  }));
  const byKey = new Map<string, { status: number; id?: string; scimType?: string; detail?: string }>();
  let landedUnknown = false;
  try {
    const run = await runBulk(client, operations, plan.capabilities.bulk);
    for (const r of run.results)
      byKey.set(r.operation.bulkId!, {
        status: r.status,
        ...(r.id ? { id: r.id } : {}),
        ...(r.scimType ? { scimType: r.scimType } : {}),
        ...(r.detail ? { detail: r.detail } : {}),
      });
  } catch (error) {
    // The whole request failed: if it may have landed, the lookups below tell; otherwise go one by one.
    if (!isScimError(error)) throw error;
    if (!(error.ambiguous || error.kind === 'timeout' || error.kind === 'network' || error.status >= 500)) return [];
    landedUnknown = true;
  }
  const known = new Map(ids);
  for (const [k, a] of byKey) if (a.id) known.set(k, a.id);
  const out: ItemResult[] = [];
  const unanswered: PlanItem[] = [];
  const toConfirm: { item: PlanItem; id: string }[] = [];
  for (const item of creates) {
    const answer = byKey.get(item.key);
    if (answer && answer.status >= 200 && answer.status < 300 && answer.id) {
      if (!isAddressableId(answer.id)) {
        out.push(resultOf(item, 'failed', { error: { status: 0, detail: unaddressableIdDetail(answer.id) } }));
        continue;
      }
      toConfirm.push({ item, id: answer.id });
    } else if (answer && answer.status >= 400 && answer.status !== 409) {
      out.push(
        resultOf(item, 'failed', {
          error: {
            status: answer.status,
            ...(answer.scimType ? { scimType: answer.scimType } : {}),
            detail: answer.detail ?? `Bulk operation failed with ${answer.status}`,
          },
        }),
      );
    } else if (
      landedUnknown ||
      (answer && answer.status === 0 && !/^not sent/.test(answer.detail ?? '')) ||
      (answer && answer.status >= 200 && answer.status < 300)
    ) {
      // No answer, or a success without a usable id: it may have landed (or did), so it is looked up.
      unanswered.push(item);
    }
    // Otherwise (a dependency not sent, or a 409): left for one-by-one creation.
  }
  // Read back by `id eq … or …`, a chunk of ids per request: one GET per created resource was
  // most of a large apply's time. A resource the listing shows exactly as meant is confirmed by
  // that answer. Anything else (absent, as a filter that lags behind the write would leave it;
  // different, as a listing that returns fewer attributes would show it; a listing that failed)
  // is read with a GET on its id, and only that GET is judged and repaired. The read-backs are
  // independent of each other, so they run in parallel.
  const listed = await listByIds(client, toConfirm, concurrency);
  await runPool(toConfirm, concurrency, async ({ item, id }) => {
    try {
      const meant = substituteIds(item.body!, known);
      const shown = listed.get(id);
      if (shown && isAddressableId(shown.id) && diffPlanned(plan, item, shown, meant).length === 0) {
        ids.set(item.key, shown.id);
        out.push(appliedResult(item, shown.id, 'created'));
        return;
      }
      const held = (await client.read(item.endpoint!, id)).resource;
      ids.set(item.key, held.id);
      out.push(await settle(client, plan, item, held, meant, 'created'));
    } catch (error) {
      out.push(resultOf(item, 'failed', { id, error: errorOf(error) }));
    }
  });
  // No answer: it may have landed. Look it up before anything is sent again.
  for (const item of unanswered) {
    const lookup = await lookupTrusted(client, item.endpoint!, item.lookup!.attribute, [item.lookup!.value], { caseExact: item.lookup!.caseExact });
    const hits = lookup.found.get(item.lookup!.value) ?? [];
    if (hits.length === 1 && isAddressableId(hits[0]!.id)) {
      ids.set(item.key, hits[0]!.id);
      known.set(item.key, hits[0]!.id);
      out.push(await settle(client, plan, item, hits[0]!, substituteIds(item.body!, known), 'adopted'));
    } else if (hits.length > 1) {
      out.push(
        resultOf(item, 'failed', {
          error: {
            status: 409,
            scimType: 'uniqueness',
            detail: `${hits.length} resources match ${item.lookup!.attribute} "${item.lookup!.value}" after the Bulk request`,
          },
        }),
      );
    } else if (hits.length === 1 || lookup.unknown.size) {
      out.push(
        resultOf(item, 'failed', {
          error: {
            status: 0,
            detail: hits.length
              ? unaddressableIdDetail(hits[0]!.id)
              : "the Bulk request may have created it, and the server's listing is incomplete, so nothing is sent again",
          },
        }),
      );
    }
  }
  return out;
}

/** Ids per read-back listing: 50 `id eq "<uuid>"` terms stay well under 4,000 characters of filter. */
const READ_BACK_CHUNK = 50;

/**
 * What listings by `id eq … or …` show of the given resources, by id (exactly as asked: a server
 * whose filter matched wrongly or not at all shows other ids, which are ignored). Best effort:
 * a listing that fails leaves its ids out, to be read one by one.
 */
async function listByIds(client: ScimClient, wanted: readonly { item: PlanItem; id: string }[], concurrency: number): Promise<Map<string, ScimResource>> {
  const byEndpoint = new Map<string, string[]>();
  for (const { item, id } of wanted) appendTo(byEndpoint, item.endpoint!, id);
  const chunks: { endpoint: string; ids: string[] }[] = [];
  for (const [endpoint, list] of byEndpoint) for (const chunk of chunkForOrFilters('id', list, READ_BACK_CHUNK, 4000)) chunks.push({ endpoint, ids: chunk });
  const shown = new Map<string, ScimResource>();
  await runPool(chunks, concurrency, async ({ endpoint, ids }) => {
    const asked = new Set(ids);
    try {
      const page = await client.list(endpoint, { filter: anyOfFilter('id', ids), pageSize: Math.max(ids.length, 50), maxPages: 2 });
      for (const r of page.resources) if (typeof r.id === 'string' && asked.has(r.id)) shown.set(r.id, r);
    } catch {
      // Read one by one below; the GET's answer (or error) is what counts.
    }
  });
  return shown;
}

/** The server's state shows the item as meant: applied (carrying the plan's warnings). */
function appliedResult(item: PlanItem, id: string, outcome: ItemResult['outcome']): ItemResult {
  return resultOf(item, 'applied', { id, outcome, ...(item.warnings?.length ? { warnings: [...item.warnings] } : {}) });
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
