/**
 * Lookups by a key attribute (externalId, userName, name…), the basis of "look up before
 * create". Results are verified client-side because servers match wrongly (jackson answers any
 * eq with an email search) or too strictly (scimmy compares case-sensitively), and batched with
 * `or` filters so a re-plan of many unchanged resources costs one request per chunk.
 */
import type { ScimLister } from './paging';
import { isFilterRejection, fileUnderValues } from './filterTrust';
import { anyOfFilter, chunkForOrFilters, eqFilter, isCaseExactByDefault, resourceHasValue } from './filter';
import type { ScimResource } from './types';

export interface LookupOptions {
  /** Compare values exactly; default true for id/externalId, false otherwise (RFC 7643 caseExact default). */
  caseExact?: boolean;
}

export interface ManyLookupOptions extends LookupOptions {
  /** Values per `or` filter; default 100 (further bounded by maxFilterChars). */
  chunkSize?: number;
  /** Longest filter text per request; default 4000 characters, to keep URLs well under server limits. */
  maxFilterChars?: number;
}

/** Servers known (this process) to reject `or` filters: looked up one value at a time. */
const orRejectedBy = new WeakSet<ScimLister>();

export async function findByAttribute(
  client: ScimLister,
  endpoint: string,
  attribute: string,
  value: string,
  options: LookupOptions = {},
): Promise<ScimResource[]> {
  const caseExact = options.caseExact ?? isCaseExactByDefault(attribute);
  const { resources } = await client.list(endpoint, { filter: eqFilter(attribute, value) });
  return resources.filter((r) => resourceHasValue(r, attribute, value, caseExact));
}

/**
 * Looks up many values of one attribute. The result maps every requested value to the verified
 * resources carrying it (an empty array: not found).
 */
export async function findManyByAttribute(
  client: ScimLister,
  endpoint: string,
  attribute: string,
  values: readonly string[],
  options: ManyLookupOptions = {},
): Promise<Map<string, ScimResource[]>> {
  const caseExact = options.caseExact ?? isCaseExactByDefault(attribute);
  const result = new Map<string, ScimResource[]>(values.map((v) => [v, []]));
  const unique = [...new Set(values)];
  const chunks = chunkForOrFilters(attribute, unique, options.chunkSize ?? 100, options.maxFilterChars ?? 4000);
  for (const chunk of chunks) {
    let found: ScimResource[];
    if (chunk.length > 1 && !orRejectedBy.has(client)) {
      try {
        found = (await client.list(endpoint, { filter: anyOfFilter(attribute, chunk), pageSize: Math.max(chunk.length, 50) })).resources;
      } catch (error) {
        if (!isFilterRejection(error)) throw error;
        // better-auth and other eq-only servers answer 400 invalidFilter to `or`. But so does any
        // server to an attribute it cannot filter on; only when a plain `eq` on the same attribute
        // works is `or` the culprit, and only then is the client degraded (for this process).
        // If the probe fails too, its error (the attribute's fault) propagates and nothing is remembered.
        const first = await findByAttribute(client, endpoint, attribute, chunk[0]!, { caseExact });
        orRejectedBy.add(client);
        found = [...first, ...(await oneByOne(client, endpoint, attribute, chunk.slice(1), caseExact))];
      }
    } else {
      found = await oneByOne(client, endpoint, attribute, chunk, caseExact);
    }
    fileUnderValues(result, found, attribute, caseExact);
  }
  return result;
}

async function oneByOne(client: ScimLister, endpoint: string, attribute: string, values: string[], caseExact: boolean): Promise<ScimResource[]> {
  const found: ScimResource[] = [];
  for (const value of values) found.push(...(await findByAttribute(client, endpoint, attribute, value, { caseExact })));
  return found;
}
