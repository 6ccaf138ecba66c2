/**
 * PATCH (RFC 7644 §3.5.2) on top of scim-patch. We validate the request and rewrite every
 * path and value key to its canonical case first, because scim-patch matches names
 * case-sensitively; then scim-patch applies the operations to a copy, so a failing operation
 * leaves the stored resource untouched (all or nothing). The caller re-validates the result.
 */
import {
  InvalidScimPatchOp,
  NoPathInScimPatchOp,
  NoTarget,
  ScimError as PatchLibraryError,
  scimPatch,
  type ScimPatchOperation,
  type ScimResource,
} from 'scim-patch';
import { findAttribute } from '../schema/attributes';
import { effectiveCharacteristics } from './characteristics';
import type { AttributeDefinition } from '../schema/types';
import { ScimError, invalidSyntax } from './errors';
import { extensionUrn, type ResourceModel } from './model';
import { isPlainObject, type Json } from './validate';

const OPS = ['add', 'remove', 'replace'] as const;
type Op = (typeof OPS)[number];

const invalidPath = (detail: string) => new ScimError(400, 'invalidPath', detail);
const mutability = (detail: string) => new ScimError(400, 'mutability', detail);

export function applyPatch(model: ResourceModel, current: Json, body: unknown): Json {
  if (!isPlainObject(body)) throw invalidSyntax('The PATCH body must be a JSON object');
  const schemas = getCi(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === 'urn:ietf:params:scim:api:messages:2.0:patchop')) {
    throw invalidSyntax("A PATCH body must list 'urn:ietf:params:scim:api:messages:2.0:PatchOp' in 'schemas'");
  }
  const operations = getCi(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax("'Operations' must be a non-empty array");
  const ops = operations.map((o, i) => canonicalOperation(model, o, i));
  try {
    return scimPatch(current as unknown as ScimResource, ops, { mutateDocument: false, treatMissingAsAdd: false }) as unknown as Json;
  } catch (e) {
    throw mapPatchError(e);
  }
}

function getCi(obj: Json, name: string): unknown {
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

function canonicalOperation(model: ResourceModel, raw: unknown, i: number): ScimPatchOperation {
  if (!isPlainObject(raw)) throw invalidSyntax(`Operations[${i}] must be an object`);
  const opText = getCi(raw, 'op');
  // Some clients send "Replace" or "REPLACE"; RFC 7644 uses lower case, scim-patch wants it.
  const op = typeof opText === 'string' ? (opText.toLowerCase() as Op) : undefined;
  if (!op || !OPS.includes(op)) throw invalidSyntax(`Operations[${i}].op must be add, remove or replace`);
  const pathText = getCi(raw, 'path');
  let value = getCi(raw, 'value');
  if (pathText === undefined || pathText === null || pathText === '') {
    if (op === 'remove') throw new ScimError(400, 'noTarget', `Operations[${i}]: remove needs a path`);
    if (!isPlainObject(value)) throw invalidSyntax(`Operations[${i}]: without a path, value must be an object of attributes`);
    return { op, value: canonicalTopLevel(model, value) };
  }
  if (typeof pathText !== 'string') throw invalidPath(`Operations[${i}].path must be a string`);
  const { path, def } = canonicalPatchPath(model, pathText, op);
  if (op !== 'remove') {
    if (value === undefined) throw invalidSyntax(`Operations[${i}]: ${op} needs a value`);
    if (def?.type === 'complex') value = canonicalComplexValue(def, value);
    return { op, path, value };
  }
  return { op, path };
}

/**
 * Parses `[urn:…:]attr[filter][.sub]`, rewrites names to canonical case and checks
 * mutability. Returns the definition the value is written to when there is no sub-attribute.
 */
function canonicalPatchPath(model: ResourceModel, raw: string, op: Op): { path: string; def: AttributeDefinition | undefined } {
  let rest = raw.trim();
  let prefix = '';
  let defs = model.attributes;
  if (rest.toLowerCase().startsWith('urn:')) {
    const whole = extensionUrn(model, rest);
    if (whole) {
      if (op === 'remove') return { path: whole, def: undefined };
      throw invalidPath(`Set the attributes of '${whole}' one by one or without a path`);
    }
    const lower = rest.toLowerCase();
    const urns = [model.rt.schema, ...model.extensions.keys()].sort((a, b) => b.length - a.length);
    const urn = urns.find((u) => lower.startsWith(u.toLowerCase() + ':'));
    if (!urn) throw invalidPath(`'${raw}' names a schema the ${model.name} resource type does not have`);
    rest = rest.slice(urn.length + 1);
    if (urn !== model.rt.schema) {
      prefix = urn + ':';
      defs = model.extensions.get(urn) ?? [];
    }
  }
  const m = /^([A-Za-z$][\w$-]*)(\[.*\])?(?:\.([A-Za-z$][\w$-]*))?$/.exec(rest);
  if (!m) throw invalidPath(`'${raw}' is not a valid attribute path`);
  const [, attrName, filter, subName] = m;
  const attr = findAttribute(defs, attrName)?.def;
  if (!attr) throw invalidPath(`'${raw}': the attribute '${attrName}' is not defined for ${model.name}`);
  if (filter && (!attr.multiValued || attr.type !== 'complex')) throw invalidPath(`'${raw}': only multi-valued complex attributes take a filter`);
  let sub: AttributeDefinition | undefined;
  if (subName) {
    sub = findAttribute(attr.subAttributes ?? [], subName)?.def;
    if (!sub) throw invalidPath(`'${raw}': '${attr.name}' has no sub-attribute '${subName}'`);
  }
  for (const d of [attr, sub]) {
    if (d && effectiveCharacteristics(d).mutability === 'readOnly') throw mutability(`'${raw}' is readOnly`);
  }
  if (op === 'remove' && !filter && !sub && attr.required) throw mutability(`'${raw}' is required and cannot be removed`);
  const path = `${prefix}${attr.name}${filter ?? ''}${sub ? '.' + sub.name : ''}`;
  return { path, def: sub ? undefined : attr };
}

/** Canonical keys for a path-less value; readOnly attributes are ignored as on POST and PUT. */
function canonicalTopLevel(model: ResourceModel, value: Json): Json {
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    if (key.toLowerCase() === 'schemas') continue;
    const urn = extensionUrn(model, key);
    if (urn) {
      if (!isPlainObject(v)) throw invalidSyntax(`'${urn}' must be an object`);
      out[urn] = canonicalKeys(model.extensions.get(urn) ?? [], v, urn + ':');
      continue;
    }
    const def = findAttribute(model.attributes, key)?.def;
    if (!def) throw invalidSyntax(`Unknown attribute '${key}'`);
    if (effectiveCharacteristics(def).mutability === 'readOnly') continue;
    out[def.name] = def.type === 'complex' ? canonicalComplexValue(def, v) : v;
  }
  return out;
}

function canonicalKeys(defs: readonly AttributeDefinition[], obj: Json, prefix: string): Json {
  const out: Json = {};
  for (const [key, v] of Object.entries(obj)) {
    const def = findAttribute(defs, key)?.def;
    if (!def) throw invalidSyntax(`Unknown attribute '${prefix}${key}'`);
    if (effectiveCharacteristics(def).mutability === 'readOnly') continue;
    out[def.name] = def.type === 'complex' ? canonicalComplexValue(def, v) : v;
  }
  return out;
}

function canonicalComplexValue(def: AttributeDefinition, value: unknown): unknown {
  const one = (v: unknown) => (isPlainObject(v) ? canonicalKeys(def.subAttributes ?? [], v, def.name + '.') : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}

function mapPatchError(e: unknown): ScimError {
  if (e instanceof ScimError) return e;
  // instanceof, not constructor names: the production bundle is minified.
  const message = e instanceof Error ? e.message : 'PATCH failed';
  if (e instanceof NoTarget || e instanceof NoPathInScimPatchOp) return new ScimError(400, 'noTarget', message);
  if (e instanceof InvalidScimPatchOp) return invalidPath(message);
  if (e instanceof PatchLibraryError) return invalidSyntax(message);
  return new ScimError(400, 'invalidValue', message);
}
