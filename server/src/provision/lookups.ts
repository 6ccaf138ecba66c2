/**
 * The reads a plan makes: verified lookups whose "absent" can be believed (or is reported
 * unknown), by human key then externalId, by plain id, and the existing state of each planned item.
 */
import { isAddressableId, isScimError, lookupTrusted, type ScimClient, type ScimResource } from '../scim';
import type { PlanItem } from './types';
import { appendTo } from '../util/maps';

export interface Found {
  found: Map<string, ScimResource[]>;
  unknown: Set<string>;
}

/** Verified lookup whose "absent" can be believed (or is reported unknown); no request when there is nothing to look up. */
export async function find(client: ScimClient, endpoint: string | undefined, values: string[], attribute: string, caseExact: boolean): Promise<Found> {
  if (!endpoint || values.length === 0) return { found: new Map(values.map((v) => [v, []])), unknown: new Set() };
  const { found, unknown } = await lookupTrusted(client, endpoint, attribute, values, { caseExact });
  return { found, unknown };
}

/** By the human key, then by externalId for the keys that found nothing (`user:<userName or externalId>`). */
export async function findWithFallback(
  client: ScimClient,
  endpoint: string | undefined,
  keys: string[],
  attribute: string,
  caseExact: boolean,
): Promise<Found> {
  const result = await find(client, endpoint, keys, attribute, caseExact);
  const missing = keys.filter((k) => (result.found.get(k) ?? []).length === 0);
  if (missing.length) {
    const byExt = await find(client, endpoint, missing, 'externalId', true);
    for (const [k, hits] of byExt.found) {
      if (hits.length) {
        result.found.set(k, hits);
        result.unknown.delete(k);
      } else if (byExt.unknown.has(k)) result.unknown.add(k);
    }
  }
  return result;
}

/** Owners and members given as plain server ids: read by id (no filter to trust), as users, then as groups. */
export async function findPlainIds(
  client: ScimClient,
  usersEndpoint: string | undefined,
  groupsEndpoint: string | undefined,
  ids: string[],
): Promise<{ resource: ScimResource; group: boolean }[]> {
  const out: { resource: ScimResource; group: boolean }[] = [];
  for (const id of ids) {
    if (!isAddressableId(id)) continue;
    for (const [endpoint, group] of [
      [usersEndpoint, false],
      [groupsEndpoint, true],
    ] as const) {
      if (!endpoint) continue;
      const resource = await client.tryGet(endpoint, id).catch((error: unknown) => {
        if (isScimError(error) && error.status === 400) return undefined; // "maybe absent" (Entra)
        throw error;
      });
      if (resource) {
        out.push({ resource, group });
        break;
      }
    }
  }
  return out;
}

export interface ExistingState {
  hits: Map<string, ScimResource[]>;
  conflicts: Map<string, ScimResource>;
  /** Items whose absence could not be established (the answers were incomplete). */
  unknown: Set<string>;
}

/**
 * The server state of each planned item: by externalId (batched where the server's `or` filters
 * can be trusted), then, for those not found, by the human key, so a resource created without our
 * externalId is adopted instead of duplicated. A same-named resource with another externalId is
 * a conflict.
 */
export async function findExisting(client: ScimClient, entries: { item: PlanItem; name?: { attribute: string; value: string } }[]): Promise<ExistingState> {
  const out = new Map<string, ScimResource[]>();
  const conflicts = new Map<string, ScimResource>();
  const unknown = new Set<string>();
  const byEndpoint = new Map<string, typeof entries>();
  for (const e of entries) appendTo(byEndpoint, e.item.endpoint!, e);
  await Promise.all(
    [...byEndpoint].map(async ([endpoint, list]) => {
      const byAttribute = new Map<string, typeof entries>();
      for (const e of list) appendTo(byAttribute, e.item.lookup!.attribute, e);
      const missing: typeof entries = [];
      for (const [attribute, group] of byAttribute) {
        const hits = await find(
          client,
          endpoint,
          group.map((e) => e.item.lookup!.value),
          attribute,
          group[0]!.item.lookup!.caseExact,
        );
        for (const e of group) {
          const found = hits.found.get(e.item.lookup!.value) ?? [];
          out.set(e.item.key, found);
          if (found.length === 0 && hits.unknown.has(e.item.lookup!.value)) unknown.add(e.item.key);
          if (found.length === 0 && attribute === 'externalId' && e.name) missing.push(e);
        }
      }
      const byName = new Map<string, typeof entries>();
      for (const e of missing) appendTo(byName, e.name!.attribute, e);
      for (const [attribute, group] of byName) {
        let hits: Found;
        try {
          hits = await find(
            client,
            endpoint,
            group.map((e) => e.name!.value),
            attribute,
            false,
          );
        } catch (error) {
          // A server that cannot filter on the name (another draft's attribute): the externalId lookup stands.
          if (isScimError(error) && error.status === 400) continue;
          throw error;
        }
        for (const e of group) {
          const found = hits.found.get(e.name!.value) ?? [];
          const adoptable = found.filter((r) => r.externalId === undefined || r.externalId === e.item.lookup!.value);
          if (adoptable.length) {
            out.set(e.item.key, adoptable);
            unknown.delete(e.item.key);
          } else if (found.length) conflicts.set(e.item.key, found[0]!);
          else if (hits.unknown.has(e.name!.value)) unknown.add(e.item.key);
        }
      }
    }),
  );
  return { hits: out, conflicts, unknown };
}
