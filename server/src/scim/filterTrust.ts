/**
 * Lookups whose "not found" can be believed. Servers answer filters wrongly in ways that look
 * like success: 200 with no results for any `or` filter, a filter on one attribute answered as a
 * search on another (jackson), results that lag behind creates (Entra), answers cut off at a page
 * cap. A lookup that trusts such an answer concludes "absent" and creates a duplicate.
 *
 * So what a server's filters really do is learned, per endpoint and attribute, against known
 * facts: resources read from an unfiltered page of the collection (the ground truth) must come
 * back from the filters that name them. The first method that passes is used, in this order:
 *
 *   or    one `attr eq "a" or attr eq "b" …` per chunk of values
 *   eq    one `attr eq "a"` per value
 *   list  the whole collection, matched client-side
 *
 * An answer that was cut off (a page cap, paging that did not finish) never proves absence: the
 * values it did not show are `unknown`, and an unknown value must never lead to a create or a
 * delete. A later contradiction (a 409 on create, a created resource the filter cannot see)
 * demotes the method with `distrust`.
 */
import type { ScimLister } from './paging';
import { isScimError } from './errors';
import { anyOfFilter, chunkForOrFilters, eqFilter, isCaseExactByDefault, matchKey, valuesAtPath } from './filter';
import type { ScimResource } from './types';
import { appendTo } from '../util/maps';
import { runPool } from '../util/pool';

export type FilterMethod = 'or' | 'eq' | 'list';

export interface TrustedLookup {
  /** Every requested value → the verified resources carrying it ([] only when absence is certain). */
  found: Map<string, ScimResource[]>;
  /** Values whose absence could not be established (the answer was incomplete). */
  unknown: Set<string>;
  /** The method the answer came from. */
  method: FilterMethod | 'empty';
}

export interface TrustedLookupOptions {
  caseExact?: boolean;
  /** Values per `or` filter (default 50) and longest filter text (default 2000 characters). */
  chunkSize?: number;
  maxFilterChars?: number;
  /** `or` chunks in flight at once (default 4). */
  concurrency?: number;
}

/** Values placed in a calibration `or` with one sample: no server holds them. */
const SENTINEL = 'scim-agents-probe-absent-7f3c9e';
const SAMPLE_PAGE = 50;
const MAX_SAMPLES = 20;

const learned = new WeakMap<ScimLister, Map<string, FilterMethod>>();

function knowledge(client: ScimLister): Map<string, FilterMethod> {
  let map = learned.get(client);
  if (!map) learned.set(client, (map = new Map()));
  return map;
}

const keyOf = (endpoint: string, attribute: string) => `${endpoint.toLowerCase()}\u0000${attribute.toLowerCase()}`;

/** What the client has learned about a filter (undefined: not tried yet). */
export function learnedMethod(client: ScimLister, endpoint: string, attribute: string): FilterMethod | undefined {
  return knowledge(client).get(keyOf(endpoint, attribute));
}

/** A filter answer contradicted a known fact: use the next, more robust method from now on. */
export function distrust(client: ScimLister, endpoint: string, attribute: string, atLeast: FilterMethod = 'eq'): void {
  const order: FilterMethod[] = ['or', 'eq', 'list'];
  const current = learnedMethod(client, endpoint, attribute) ?? 'or';
  const next = order[Math.max(order.indexOf(current) + 1, order.indexOf(atLeast))]!;
  knowledge(client).set(keyOf(endpoint, attribute), next);
}

export async function lookupTrusted(
  client: ScimLister,
  endpoint: string,
  attribute: string,
  values: readonly string[],
  options: TrustedLookupOptions = {},
): Promise<TrustedLookup> {
  const caseExact = options.caseExact ?? isCaseExactByDefault(attribute);
  const unique = [...new Set(values)];
  const answer: TrustedLookup = { found: new Map(unique.map((v) => [v, []])), unknown: new Set(), method: 'or' };
  if (unique.length === 0) return answer;
  let method = learnedMethod(client, endpoint, attribute);
  if (!method) {
    const calibration = await calibrate(client, endpoint, attribute, caseExact);
    if (calibration === 'empty') return { ...answer, method: 'empty' };
    method = calibration;
    knowledge(client).set(keyOf(endpoint, attribute), method);
  }
  answer.method = method;
  const file = valueFiler(answer.found, attribute, caseExact);
  if (method === 'list') {
    const all = await client.list(endpoint);
    file(all.resources);
    if (!all.complete) markUnfound(answer, unique);
    return answer;
  }
  const pending: string[] = [];
  if (method === 'or') {
    // The chunks are independent: a few in flight at once (one at a time, the 200 chunks of a
    // 10,000-agent re-plan were most of its time waiting). Every chunk's answer is still filed
    // and checked on its own.
    const chunks = chunkForOrFilters(attribute, unique, options.chunkSize ?? 50, options.maxFilterChars ?? 2000);
    const cut: string[][] = new Array(chunks.length);
    await runPool(
      chunks.map((chunk, i) => ({ chunk, i })),
      options.concurrency ?? 4,
      async ({ chunk, i }) => {
        const page = await client.list(endpoint, { filter: anyOfFilter(attribute, chunk), pageSize: Math.max(chunk.length, 50) });
        file(page.resources);
        // Cut off: what it did not show is looked up again, one value at a time.
        if (!page.complete) cut[i] = chunk.filter((v) => answer.found.get(v)!.length === 0);
      },
    );
    for (const c of cut) if (c) pending.push(...c);
  } else pending.push(...unique);
  for (const value of pending) {
    const page = await client.list(endpoint, { filter: eqFilter(attribute, value), pageSize: 50 });
    file(page.resources);
    if (!page.complete && answer.found.get(value)!.length === 0) answer.unknown.add(value);
  }
  return answer;
}

/**
 * Learns which filter method finds resources known to exist. Returns 'empty' when no resource
 * can carry a requested value: the collection is empty, or it was listed whole and none has the
 * attribute. Where no listed resource carries the attribute, another one they carry stands in:
 * the quirks seen (`or` ignored, attribute names ignored, lagging indexes) are the server's, not
 * an attribute's; the requested attribute must then still be accepted by the filter.
 */
async function calibrate(client: ScimLister, endpoint: string, attribute: string, caseExact: boolean): Promise<FilterMethod | 'empty'> {
  const page = await client.listPage(endpoint, { startIndex: 1, count: SAMPLE_PAGE });
  if (page.resources.length === 0 && (page.totalResults ?? 0) === 0) return 'empty';
  const wholeCollection = page.totalResults !== undefined && page.resources.length >= page.totalResults;
  const own = samplesOf(page.resources, attribute);
  if (own.length === 0 && wholeCollection) return 'empty';
  const standIn = own.length ? attribute : STAND_INS.find((a) => a.toLowerCase() !== attribute.toLowerCase() && samplesOf(page.resources, a).length > 0);
  // Nothing to learn from (no listed resource carries a key): only the listing is ground truth.
  if (!standIn) return 'list';
  const method = await methodFinding(client, endpoint, standIn, own.length ? own : samplesOf(page.resources, standIn), own.length ? caseExact : false);
  if (method === 'list' || standIn === attribute) return method;
  try {
    await client.listPage(endpoint, { filter: eqFilter(attribute, SENTINEL), startIndex: 1, count: 1 });
    return method;
  } catch (error) {
    if (isFilterRejection(error)) return 'list';
    throw error;
  }
}

/** Attributes that stand in for one no listed resource carries. */
const STAND_INS = ['externalId', 'userName', 'name', 'displayName'];

function samplesOf(resources: readonly ScimResource[], attribute: string): { r: ScimResource; value: string }[] {
  // The most recent resources are usually listed last, and they are the ones a lagging index misses.
  return resources
    .map((r) => ({ r, value: valuesAtPath(r, attribute).find((v): v is string => typeof v === 'string' && v !== '') }))
    .filter((s): s is { r: ScimResource; value: string } => s.value !== undefined)
    .slice(-MAX_SAMPLES);
}

/** The first method whose answers contain every sample (each verified to carry its value). */
async function methodFinding(
  client: ScimLister,
  endpoint: string,
  attribute: string,
  samples: { r: ScimResource; value: string }[],
  caseExact: boolean,
): Promise<FilterMethod> {
  const finds = async (values: string[], expected: typeof samples): Promise<boolean> => {
    let page;
    try {
      page = await client.list(endpoint, { filter: anyOfFilter(attribute, values), pageSize: Math.max(values.length, 50) });
    } catch (error) {
      if (isFilterRejection(error)) return false;
      throw error;
    }
    return expected.every((s) =>
      page.resources.some((r) => r.id === s.r.id && valuesAtPath(r, attribute).some((v) => matchKey(v, caseExact) === matchKey(s.value, caseExact))),
    );
  };
  // One sample goes last behind a value no server has, which catches "only the first term counts".
  const orValues = samples.length > 1 ? samples.map((s) => s.value) : [SENTINEL, samples[0]!.value];
  if (await finds(orValues, samples)) return 'or';
  const probes = samples.length > 1 ? [samples[0]!, samples[samples.length - 1]!] : [samples[0]!];
  for (const probe of probes) if (!(await finds([probe.value], [probe]))) return 'list';
  return 'eq';
}

/** A 400 answer to a filter: invalidFilter, or a server that gives no scimType at all. */
export function isFilterRejection(error: unknown): boolean {
  return isScimError(error) && error.status === 400 && (error.scimType === 'invalidFilter' || error.scimType === undefined);
}

function markUnfound(answer: TrustedLookup, values: readonly string[]): void {
  for (const v of values) if (answer.found.get(v)!.length === 0) answer.unknown.add(v);
}

/**
 * Files each resource under every requested value it really carries (the server's match is not
 * trusted). The requested values are keyed once per lookup, not once per page: a lookup of n
 * values in pages of 50 stays linear in n.
 */
export function valueFiler(result: Map<string, ScimResource[]>, attribute: string, caseExact: boolean): (resources: readonly ScimResource[]) => void {
  const byKey = new Map<string, string[]>();
  for (const requested of result.keys()) {
    const key = matchKey(requested, caseExact);
    appendTo(byKey, key, requested);
  }
  return (resources) => {
    for (const resource of resources) {
      for (const value of valuesAtPath(resource, attribute)) {
        for (const requested of byKey.get(matchKey(value, caseExact)) ?? []) {
          const list = result.get(requested)!;
          if (!list.some((r) => r.id === resource.id)) list.push(resource);
        }
      }
    }
  };
}
