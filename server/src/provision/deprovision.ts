/**
 * deprovision: revokes the identities the manifests describe. By default `active: false`
 * (PATCH, or PUT from a fresh GET), confirmed by reading the resource back; DELETE only when
 * asked, confirmed by a 404. Applications go first, then agents (children before parents), then
 * groups and users, so nothing is left pointing at a removed identity.
 */
import {
  discoverCapabilities,
  endpointFor,
  isAddressableId,
  isScimError,
  supportsAgents,
  unaddressableIdDetail,
  versionOf,
  type ScimClient,
  type ServerCapabilities,
} from '../scim';
import { resourceAnchor } from '../workspace/keys';
import { findAttribute } from '../schema/attributes';
import { URN } from '../schema/types';
import { humanKeyOf, labelOf, type WorkspaceIndex } from '../workspace/index';
import { parseReference } from '../workspace/references';
import type { BoundResource } from '../model/bind';
import { endpointHostOf } from './connect';
import { conditionally, errorOf } from './apply';
import { findExisting, lookupKeyOf } from './plan';
import { runPool } from '../util/pool';
import type { ApplyProgress, ApplyResult, ItemResult, PlanItem } from './types';
import { appendTo } from '../util/maps';

export interface DeprovisionOptions {
  client: ScimClient;
  /** Discovered when not given. */
  capabilities?: ServerCapabilities;
  mode: 'deactivate' | 'delete';
  uris?: readonly string[];
  /** Agents were provisioned as Users (linked-user fallback) where the server has no Agent type. */
  fallback?: 'linked-user';
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ApplyProgress) => void;
}

const RANK: Record<string, number> = { AgenticApplication: 0, Group: 3, User: 4 };
const SERVER_URN: Record<string, string> = { Agent: URN.agent, AgenticApplication: URN.agenticApplication, User: URN.user, Group: URN.group };

export async function deprovision(index: WorkspaceIndex, options: DeprovisionOptions): Promise<ApplyResult> {
  const { client, signal } = options;
  const capabilities = options.capabilities ?? (await discoverCapabilities(client));
  const only = options.uris ? new Set(options.uris) : undefined;
  const resources = index.resources().filter((r) => !only || only.has(r.uri));
  const results: ItemResult[] = [];
  let done = 0;
  const finish = (r: ItemResult) => {
    results.push(r);
    done++;
    options.onProgress?.({ done, total: resources.length, item: r });
  };

  const items: { item: PlanItem; resource: BoundResource; name?: { attribute: string; value: string } }[] = [];
  resources.forEach((resource, i) => {
    const type = resource.resourceType?.name ?? 'resource';
    const item: PlanItem = {
      key: `r${i + 1}`,
      uri: resource.uri,
      span: resourceAnchor(resource),
      label: labelOf(resource),
      resourceType: type,
      action: 'update',
      dependsOn: [],
    };
    const asUser = type === 'Agent' && supportsAgents(capabilities) === false && options.fallback === 'linked-user';
    item.serverType = asUser ? 'User' : type;
    const urn = SERVER_URN[item.serverType];
    const endpoint = urn ? endpointFor(capabilities, urn) : undefined;
    const lookup = lookupKeyOf(resource, asUser);
    const human = humanKeyOf(resource);
    const served = urn ? capabilities.schemas[urn] : undefined;
    if (served && human && !asUser && !findAttribute(served.attributes, human.attribute)) {
      finish(
        result(item, 'skipped', {
          error: {
            status: 0,
            detail: `the server's ${type} schema does not define "${human.attribute}" (profile ${resource.profile.id}): it cannot hold this resource`,
          },
        }),
      );
      return;
    }
    if (!endpoint || !lookup) {
      const noType =
        type === 'Agent' && !asUser
          ? 'the server has no Agent resource type (if the agents were provisioned as Users, run with --fallback linked-user)'
          : `the server has no ${item.serverType} resource type`;
      finish(result(item, 'skipped', { error: { status: 0, detail: !endpoint ? noType : 'it has neither an externalId nor a name to find it by' } }));
      return;
    }
    item.endpoint = endpoint;
    item.lookup = lookup;
    items.push({
      item,
      resource,
      ...(human && lookup.attribute === 'externalId' ? { name: { attribute: asUser ? 'userName' : human.attribute, value: human.value } } : {}),
    });
  });

  const existing = await findExisting(client, items);
  const ranked = new Map<number, typeof items>();
  for (const entry of items) {
    // Agents rank in (1, 2]: the deeper in a parent chain, the earlier.
    const rank = entry.item.resourceType === 'Agent' ? 1 + 1 / (1 + depth(index, entry.resource)) : (RANK[entry.item.resourceType] ?? 2);
    appendTo(ranked, rank, entry);
  }
  for (const rank of [...ranked.keys()].sort((a, b) => a - b)) {
    await runPool(ranked.get(rank)!, options.concurrency ?? 4, async ({ item }) => {
      if (signal?.aborted) return finish(result(item, 'skipped', { error: { status: 0, detail: 'cancelled' } }));
      const hits = existing.hits.get(item.key) ?? [];
      if (hits.length === 0 && existing.unknown.has(item.key)) {
        return finish(
          result(item, 'failed', {
            error: {
              status: 0,
              detail:
                "whether it is on the server cannot be told: the server's answers were cut off (a page cap, or paging that stopped early); nothing was changed",
            },
          }),
        );
      }
      if (hits.length === 0) return finish(result(item, 'unchanged', { outcome: 'absent' }));
      if (hits.length > 1)
        return finish(
          result(item, 'failed', {
            error: {
              status: 409,
              scimType: 'uniqueness',
              detail: `${hits.length} resources match ${item.lookup!.attribute} "${item.lookup!.value}"; refusing to pick one`,
            },
          }),
        );
      const current = hits[0]!;
      if (!isAddressableId(current.id)) return finish(result(item, 'failed', { error: { status: 0, detail: unaddressableIdDetail(current.id) } }));
      try {
        if (options.mode === 'delete') {
          await conditionally(client, item.endpoint!, current.id, versionOf(current), (version) => client.delete(item.endpoint!, current.id, { version }));
          const after = await client.tryGet(item.endpoint!, current.id);
          if (after)
            return finish(result(item, 'failed', { id: current.id, error: { status: 0, detail: 'the server still returns the resource after DELETE' } }));
          return finish(result(item, 'applied', { id: current.id, outcome: 'deleted' }));
        }
        if (item.serverType === 'Group') {
          // Nothing to revoke: a group grants nothing by itself. Not a failure (exit 0), but said.
          return finish(
            result(item, 'unchanged', {
              id: current.id,
              outcome: 'kept',
              warnings: ['a Group has no active flag: it is left as it is (use --delete to remove it)'],
            }),
          );
        }
        if (current.active === false) return finish(result(item, 'unchanged', { id: current.id, outcome: 'deactivated' }));
        await conditionally(client, item.endpoint!, current.id, versionOf(current), async (version, fresh) => {
          if (fresh?.active === false) return;
          if (capabilities.patch !== false) {
            await client.patch(item.endpoint!, current.id, [{ op: 'replace', path: 'active', value: false }], { version });
            return;
          }
          const read = fresh ? { resource: fresh, version } : await client.read(item.endpoint!, current.id);
          const { meta: _meta, ...rest } = read.resource;
          await client.replace(item.endpoint!, current.id, { ...rest, active: false }, { version: read.version });
        });
        const after = await client.get(item.endpoint!, current.id);
        if (after.active !== false)
          return finish(
            result(item, 'failed', {
              id: current.id,
              error: { status: 0, detail: `the server still reports active=${String(after.active)} after deactivation` },
            }),
          );
        return finish(result(item, 'applied', { id: current.id, outcome: 'deactivated' }));
      } catch (error) {
        if (isScimError(error) && error.status === 404 && options.mode === 'delete')
          return finish(result(item, 'applied', { id: current.id, outcome: 'deleted' }));
        return finish(result(item, 'failed', { id: current.id, error: errorOf(error) }));
      }
    });
  }
  const order = new Map(resources.map((_, i) => [`r${i + 1}`, i]));
  results.sort((a, b) => order.get(a.key)! - order.get(b.key)!);
  const counts = { applied: 0, unchanged: 0, failed: 0, skipped: 0 };
  for (const r of results) counts[r.status]++;
  return { endpointHost: endpointHostOf(client.baseUrl), items: results, counts, cancelled: Boolean(signal?.aborted) };
}

/** How many parents an agent has in the workspace (children are deprovisioned before parents). */
function depth(index: WorkspaceIndex, agent: BoundResource): number {
  let n = 0;
  const seen = new Set<BoundResource>([agent]);
  let current = agent;
  while (n < 50) {
    const parent = current.normalized.parent as { value?: unknown } | undefined;
    const ref = parseReference(parent?.value);
    const next = ref ? index.resolve(ref)[0] : undefined;
    if (!next || seen.has(next)) break;
    seen.add(next);
    n++;
    current = next;
  }
  return n;
}

function result(item: PlanItem, status: ItemResult['status'], extra: Partial<ItemResult> = {}): ItemResult {
  return { key: item.key, uri: item.uri, span: item.span, label: item.label, action: item.action, status, ...extra };
}
