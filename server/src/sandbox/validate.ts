/**
 * Input validation and normalisation against the schema definitions, for POST, PUT, the
 * result of a PATCH, Bulk and the seed.
 *
 * Decisions (RFC 7644 leaves some open):
 * - attribute names match in any case and by alias; what is stored uses the canonical name;
 * - an attribute the resource's schemas do not define: 400 invalidSyntax (the body does not
 *   fit the schema); a silent drop would hide typos such as `owner` for `owners`;
 * - a wrong type, a missing required value, a bad `schemas` list, two `primary: true`:
 *   400 invalidValue;
 * - readOnly attributes sent by the client are ignored (RFC 7644 §3.3, §3.5.1);
 * - null and [] mean unassigned (RFC 7643 §2.5) and are dropped.
 */
import { findAttribute } from '../schema/attributes';
import { effectiveCharacteristics } from './characteristics';
import type { AttributeDefinition } from '../schema/types';
import { ScimError, invalidSyntax, invalidValue } from './errors';
import { extensionUrn, type ResourceModel } from './model';

export type Json = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Returns the client-writable part of `body` in canonical form: `schemas` plus the
 * attributes, without readOnly ones. Throws ScimError on anything invalid.
 */
export function normalizeResource(model: ResourceModel, body: unknown): Json {
  if (!isPlainObject(body)) throw invalidSyntax('The resource must be a JSON object');
  const out: Json = {};
  const extensionsSeen = new Set<string>();
  let schemasValue: unknown;
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') {
      schemasValue = value;
      continue;
    }
    const urn = extensionUrn(model, key);
    if (urn) {
      if (value === null) continue;
      if (!isPlainObject(value)) throw invalidValue(`'${urn}' must be an object of extension attributes`);
      const ext = normalizeAttributes(model.extensions.get(urn) ?? [], value, urn + ':');
      if (urn in out) throw invalidSyntax(`'${urn}' appears twice`);
      if (Object.keys(ext).length) {
        out[urn] = ext;
        extensionsSeen.add(urn);
      }
      continue;
    }
    putAttribute(out, model.attributes, key, value, '');
  }
  out.schemas = checkSchemas(model, schemasValue, extensionsSeen);
  checkRequired(model.attributes, out, '');
  for (const ext of model.rt.schemaExtensions ?? []) {
    if (ext.required && !(ext.schema in out)) throw invalidValue(`The extension '${ext.schema}' is required`);
  }
  for (const [urn, defs] of model.extensions) if (isPlainObject(out[urn])) checkRequired(defs, out[urn] as Json, urn + ':');
  return out;
}

/** `schemas` must name the base schema and may name the type's extensions (RFC 7643 §3). */
function checkSchemas(model: ResourceModel, value: unknown, extensionsSeen: Set<string>): string[] {
  if (value === undefined || value === null) throw invalidValue("The 'schemas' attribute is required");
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
    throw invalidValue("'schemas' must be a non-empty array of schema URNs");
  }
  const seen = new Set<string>();
  let hasBase = false;
  for (const v of value as string[]) {
    let canonical: string | undefined;
    if (v.toLowerCase() === model.rt.schema.toLowerCase()) {
      canonical = model.rt.schema;
      hasBase = true;
    } else canonical = extensionUrn(model, v);
    if (!canonical) throw invalidValue(`The schema '${v}' is not a schema of the ${model.name} resource type`);
    if (seen.has(canonical)) throw invalidValue(`The schema '${v}' is listed twice`);
    seen.add(canonical);
  }
  if (!hasBase) throw invalidValue(`'schemas' must include ${model.rt.schema}`);
  // Extensions are listed when (and only when) the resource carries their attributes.
  return [model.rt.schema, ...[...model.extensions.keys()].filter((u) => extensionsSeen.has(u))];
}

function normalizeAttributes(defs: readonly AttributeDefinition[], obj: Json, prefix: string): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(obj)) putAttribute(out, defs, key, value, prefix);
  return out;
}

function putAttribute(out: Json, defs: readonly AttributeDefinition[], key: string, value: unknown, prefix: string): void {
  const match = findAttribute(defs, key);
  if (!match) throw invalidSyntax(`Unknown attribute '${prefix}${key}'`);
  const def = match.def;
  const name = prefix + def.name;
  if (def.name in out) throw invalidSyntax(`The attribute '${name}' appears twice (names are case-insensitive)`);
  if (effectiveCharacteristics(def).mutability === 'readOnly') return;
  const normalized = normalizeValue(def, value, name);
  if (normalized !== undefined) out[def.name] = normalized;
}

export function normalizeValue(def: AttributeDefinition, value: unknown, name: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    if (!Array.isArray(value)) throw invalidValue(`'${name}' is multi-valued and must be an array`);
    const items = value.map((v, i) => {
      if (v === null) throw invalidValue(`'${name}[${i}]' is null`);
      return normalizeSingle(def, v, `${name}[${i}]`);
    });
    const kept = items.filter((v) => v !== undefined);
    if (def.type === 'complex' && kept.filter((v) => (v as Json).primary === true).length > 1) {
      throw invalidValue(`'${name}' has more than one value with primary true`);
    }
    return kept.length ? kept : undefined;
  }
  if (Array.isArray(value)) throw invalidValue(`'${name}' is single-valued and must not be an array`);
  return normalizeSingle(def, value, name);
}

function normalizeSingle(def: AttributeDefinition, value: unknown, name: string): unknown {
  const wrong = (what: string) => invalidValue(`'${name}' must be ${what}`);
  switch (def.type) {
    case 'complex': {
      if (!isPlainObject(value)) throw wrong('an object');
      const sub = normalizeAttributes(def.subAttributes ?? [], value, name + '.');
      return Object.keys(sub).length ? sub : undefined;
    }
    case 'string':
    case 'reference':
      if (typeof value !== 'string') throw wrong('a string');
      return value;
    case 'binary':
      // Padding may be followed by spaces only through `(?:=\s*)`: a trailing `\s*` after a class
      // that also takes spaces made a run of spaces quadratic.
      if (typeof value !== 'string' || !/^[A-Za-z0-9+/\s]*(?:=\s*){0,2}$/.test(value)) throw wrong('base64 (RFC 4648 §4)');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong('a boolean (true or false)');
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw wrong('an integer');
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw wrong('a number');
      return value;
    case 'dateTime':
      if (typeof value !== 'string' || !isDateTime(value)) throw wrong('an xsd:dateTime such as 2025-01-23T04:56:22Z');
      return value;
  }
}

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

export function isDateTime(v: string): boolean {
  return DATE_TIME.test(v) && !Number.isNaN(Date.parse(v));
}

function checkRequired(defs: readonly AttributeDefinition[], obj: Json, prefix: string): void {
  for (const def of defs) {
    const eff = effectiveCharacteristics(def);
    if (eff.mutability === 'readOnly') continue;
    const v = obj[def.name];
    if (def.required && (v === undefined || v === '')) {
      throw invalidValue(`The required attribute '${prefix}${def.name}' is missing or empty`);
    }
    if (def.type === 'complex' && v !== undefined) {
      const values = Array.isArray(v) ? v : [v];
      values.forEach((item, i) => {
        const where = Array.isArray(v) ? `${prefix}${def.name}[${i}].` : `${prefix}${def.name}.`;
        checkRequired(def.subAttributes ?? [], item as Json, where);
      });
    }
  }
}

/**
 * Immutable attributes (RFC 7643 §2.2): once set they may be sent again only unchanged.
 * A replace that omits one keeps the stored value. Checked at the top level and inside
 * single-valued complex attributes; inside multi-valued ones (Group.members) each value is a
 * whole that is added or removed, so there is nothing to change in place.
 */
export function enforceImmutable(defs: readonly AttributeDefinition[], next: Json, previous: Json, prefix = ''): void {
  for (const def of defs) {
    const before = previous[def.name];
    if (before === undefined) continue;
    const eff = effectiveCharacteristics(def);
    if (eff.mutability === 'immutable') {
      const after = next[def.name];
      if (after === undefined) next[def.name] = before;
      else if (JSON.stringify(after) !== JSON.stringify(before)) {
        throw new ScimError(400, 'mutability', `The attribute '${prefix}${def.name}' is immutable`);
      }
    } else if (def.type === 'complex' && !def.multiValued && isPlainObject(before) && isPlainObject(next[def.name])) {
      enforceImmutable(def.subAttributes ?? [], next[def.name] as Json, before, `${prefix}${def.name}.`);
    }
  }
}
