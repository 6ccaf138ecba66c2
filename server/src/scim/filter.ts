/**
 * Lookup filters. Built as scim2-parse-filter ASTs and stringified by it, so values are always
 * double-quoted JSON strings with escaping (never single quotes, RFC 7644 §3.4.2.2).
 */
import { stringify, type Filter } from 'scim2-parse-filter';
import { getMember, isObject } from './json';

/** `attr eq "value"`. */
export function eqFilter(attribute: string, value: string): string {
  return stringify({ op: 'eq', attrPath: attribute, compValue: value });
}

/** `attr eq "a" or attr eq "b" …` (a single value gives a plain eq). */
export function anyOfFilter(attribute: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error('anyOfFilter needs at least one value');
  const terms: Filter[] = values.map((value) => ({ op: 'eq', attrPath: attribute, compValue: value }));
  return stringify(terms.length === 1 ? terms[0]! : { op: 'or', filters: terms });
}

/**
 * Splits values into groups whose `or` filter stays within both a count and a length limit
 * (the filter travels in the query string, and servers cap URL length).
 */
export function chunkForOrFilters(attribute: string, values: readonly string[], maxPerChunk: number, maxFilterChars: number): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const value of values) {
    const termLength = eqFilter(attribute, value).length + 4; // " or "
    if (current.length > 0 && (current.length >= maxPerChunk || length + termLength > maxFilterChars)) {
      chunks.push(current);
      current = [];
      length = 0;
    }
    current.push(value);
    length += termLength;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * Every value at a dotted attribute path (`emails.value`), names matched case-insensitively,
 * multi-valued attributes flattened. Extension-qualified paths (`urn:…:User:employeeNumber`) are
 * looked up in the extension object.
 */
export function valuesAtPath(resource: unknown, path: string): unknown[] {
  // One plain attribute (externalId, userName: every lookup's, for every resource of every
  // page): the loop below for a single segment, without splitting the path or matching a URN.
  if (!path.includes('.') && !path.includes(':')) {
    const out: unknown[] = [];
    for (const element of Array.isArray(resource) ? resource : [resource]) {
      if (!isObject(element)) continue;
      const value = getMember(element, path);
      if (value === undefined || value === null) continue;
      for (const v of Array.isArray(value) ? value : [value]) if (!isObject(v)) out.push(v);
    }
    return out;
  }
  const urnSplit = /^(urn:.+):([^:]+)$/i.exec(path);
  if (urnSplit && isObject(resource)) {
    return valuesAtPath(getMember(resource, urnSplit[1]!), urnSplit[2]!);
  }
  let current: unknown[] = [resource];
  for (const segment of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      for (const element of Array.isArray(item) ? item : [item]) {
        if (!isObject(element)) continue;
        const value = getMember(element, segment);
        if (value === undefined || value === null) continue;
        if (Array.isArray(value)) next.push(...value);
        else next.push(value);
      }
    }
    current = next;
  }
  return current.filter((v) => !isObject(v));
}

/** Attributes whose values compare exactly (RFC 7643 §3.1 caseExact: true); the rest ignore case. */
const CASE_EXACT_ATTRIBUTES = new Set(['id', 'externalid']);

export function isCaseExactByDefault(attribute: string): boolean {
  return CASE_EXACT_ATTRIBUTES.has(attribute.toLowerCase());
}

/** Key used to match a requested value against returned values. */
export function matchKey(value: unknown, caseExact: boolean): string {
  const text = String(value);
  return caseExact ? text : text.toLowerCase();
}

/**
 * Whether a resource returned by a filter really carries the value: some servers ignore the
 * attribute (jackson searches emails whatever is asked) or match loosely.
 */
export function resourceHasValue(resource: unknown, attribute: string, value: string, caseExact: boolean): boolean {
  const wanted = matchKey(value, caseExact);
  return valuesAtPath(resource, attribute).some((v) => matchKey(v, caseExact) === wanted);
}
