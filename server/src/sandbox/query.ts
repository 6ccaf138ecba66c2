/**
 * List queries (RFC 7644 §3.4.2): sorting, index paging and attribute projection
 * (attributes / excludedAttributes with the schema's `returned` characteristic).
 */
import { findAttribute } from '../schema/attributes';
import { effectiveCharacteristics } from './characteristics';
import type { AttributeDefinition } from '../schema/types';
import { invalidValue } from './errors';
import { extensionUrn, type ResourceModel } from './model';
import { resolvePath, valuesAt } from './paths';
import { isPlainObject, type Json } from './validate';

export interface QueryParams {
  filter?: string;
  sortBy?: string;
  sortOrder?: 'ascending' | 'descending';
  startIndex: number;
  count: number | undefined;
  attributes?: string[];
  excludedAttributes?: string[];
}

/** Reads query parameters from a URL or a SearchRequest body, validating their types. */
export function readQueryParams(get: (name: string) => unknown): QueryParams {
  const str = (name: string): string | undefined => {
    const v = get(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw invalidValue(`'${name}' must be a string`);
    return v;
  };
  const int = (name: string): number | undefined => {
    const v = get(name);
    if (v === undefined || v === null || v === '') return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n)) throw invalidValue(`'${name}' must be an integer`);
    return n;
  };
  const list = (name: string): string[] | undefined => {
    const v = get(name);
    if (v === undefined || v === null) return undefined;
    const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : undefined;
    if (!items || items.some((i) => typeof i !== 'string')) throw invalidValue(`'${name}' must be a list of attribute names`);
    return (items as string[]).map((s) => s.trim()).filter(Boolean);
  };
  const sortOrder = str('sortOrder');
  if (sortOrder !== undefined && !['ascending', 'descending'].includes(sortOrder.toLowerCase())) {
    throw invalidValue("'sortOrder' must be 'ascending' or 'descending'");
  }
  // RFC 7644 §3.4.2.4: startIndex below 1 counts as 1, a negative count as 0.
  const startIndex = Math.max(1, int('startIndex') ?? 1);
  const count = int('count');
  return {
    filter: str('filter'),
    sortBy: str('sortBy'),
    sortOrder: sortOrder?.toLowerCase() as QueryParams['sortOrder'],
    startIndex,
    count: count === undefined ? undefined : Math.max(0, count),
    attributes: list('attributes'),
    excludedAttributes: list('excludedAttributes'),
  };
}

/** A sort key getter for one type, or undefined if the type lacks the attribute (sorts last). */
export function sortKey(model: ResourceModel, sortBy: string): ((r: Json) => string | number | undefined) | undefined {
  const p = resolvePath(model, sortBy);
  if (!p) return undefined;
  const leaf = p.sub ?? p.attr;
  const def = leaf.type === 'complex' ? (findAttribute(leaf.subAttributes ?? [], 'value')?.def ?? leaf) : leaf;
  const exact = effectiveCharacteristics(def).caseExact;
  return (r) => {
    let values = valuesAt(r, p);
    // A multi-valued attribute sorts by its primary value (RFC 7644 §3.4.2.3).
    if (p.attr.multiValued && !p.sub) {
      const primary = values.find((v) => isPlainObject(v) && v.primary === true);
      values = primary ? [primary] : values.slice(0, 1);
      values = values.map((v) => (isPlainObject(v) ? v.value : v));
    } else if (p.attr.multiValued && p.sub) {
      const items = valuesAt(r, { ...p, sub: undefined });
      const primary = items.find((v) => isPlainObject(v) && v.primary === true) ?? items[0];
      values = isPlainObject(primary) && primary[p.sub.name] !== undefined ? [primary[p.sub.name]] : [];
    }
    const v = values[0];
    if (typeof v === 'number') return v;
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v !== 'string') return undefined;
    if (def.type === 'dateTime') return Date.parse(v);
    return exact ? v : v.toLowerCase();
  };
}

/** Resources without a value sort last in ascending order (RFC 7644 §3.4.2.3), first in descending. */
export function compareKeys(a: string | number | undefined, b: string | number | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a !== typeof b) return String(a) < String(b) ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

type Selection = Map<string, Set<string> | 'all'>;

/** Applies attributes / excludedAttributes to a rendered resource (RFC 7644 §3.9). */
export function project(model: ResourceModel, resource: Json, attributes?: string[], excluded?: string[]): Json {
  const want = attributes?.length ? select(model, attributes) : undefined;
  const drop = excluded?.length ? select(model, excluded) : new Map();
  const out: Json = { schemas: resource.schemas };
  // The selections of the core schema, made once per resource rather than once per attribute
  // (two new maps per attribute of every listed resource were a third of a listing's time).
  const coreWant = want && prefixed(want, '');
  const coreDrop = prefixed(drop, '');
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'schemas') continue;
    const urn = extensionUrn(model, key);
    if (urn) {
      const ext = projectLevel(
        model.extensions.get(urn) ?? [],
        value as Json,
        want && prefixed(want, urn),
        prefixed(drop, urn),
        want?.get(urn) === 'all',
        drop.get(urn) === 'all',
      );
      if (Object.keys(ext).length) out[key] = ext;
      continue;
    }
    const level = projectLevel(model.attributes, { [key]: value }, coreWant, coreDrop, false, false);
    if (key in level) out[key] = level[key];
  }
  return out;
}

function select(model: ResourceModel, paths: string[]): Selection {
  const sel: Selection = new Map();
  for (const raw of paths) {
    const urn = extensionUrn(model, raw);
    if (urn) {
      sel.set(urn, 'all');
      continue;
    }
    const p = resolvePath(model, raw);
    if (!p) continue; // unknown names select nothing
    const key = (p.urn ? p.urn + ':' : '') + p.attr.name;
    if (!p.sub) sel.set(key, 'all');
    else {
      const cur = sel.get(key);
      if (cur !== 'all') sel.set(key, new Set([...(cur ?? []), p.sub.name]));
    }
  }
  return sel;
}

function prefixed(sel: Selection, urn: string): Selection {
  const out: Selection = new Map();
  const pre = urn ? urn + ':' : '';
  for (const [k, v] of sel) {
    if (pre ? k.startsWith(pre) : !k.toLowerCase().startsWith('urn:')) out.set(k.slice(pre.length), v);
  }
  return out;
}

function projectLevel(defs: readonly AttributeDefinition[], obj: Json, want: Selection | undefined, drop: Selection, wantAll: boolean, dropAll: boolean): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) {
    const def = findAttribute(defs, key)?.def;
    if (!def) continue;
    const returned = effectiveCharacteristics(def).returned;
    if (returned === 'never') continue;
    if (returned === 'always') {
      out[key] = value;
      continue;
    }
    const w = wantAll ? 'all' : want?.get(def.name);
    if (want && !wantAll && !w) continue;
    if (!want && returned === 'request') continue;
    if (dropAll || drop.get(def.name) === 'all') continue;
    const subsWanted = w instanceof Set ? w : undefined;
    const dropped = drop.get(def.name);
    const subsDropped = dropped instanceof Set ? dropped : undefined;
    if ((subsWanted || subsDropped) && def.type === 'complex') {
      const filterSubs = (item: unknown) => {
        if (!isPlainObject(item)) return item;
        const kept: Json = {};
        for (const [sk, sv] of Object.entries(item)) {
          const sdef = findAttribute(def.subAttributes ?? [], sk)?.def;
          const always = sdef && effectiveCharacteristics(sdef).returned === 'always';
          if (!always && subsWanted && !subsWanted.has(sdef?.name ?? sk)) continue;
          if (!always && subsDropped?.has(sdef?.name ?? sk)) continue;
          kept[sk] = sv;
        }
        return kept;
      };
      const v = Array.isArray(value) ? value.map(filterSubs).filter((i) => Object.keys(i as Json).length) : filterSubs(value);
      if (Array.isArray(v) ? v.length : Object.keys(v as Json).length) out[key] = v;
      continue;
    }
    out[key] = value;
  }
  return out;
}
