/**
 * diffToPatchOps: the minimal PatchOp operations that turn a server's current resource into
 * the desired one (RFC 7644 §3.5.2).
 *
 * Semantics, chosen for provisioning from manifests:
 * - Only attributes present in `desired` are managed. An attribute the manifest does not mention
 *   is left alone (servers add defaults); `null` or `[]` in desired removes it.
 * - Server-managed attributes are never sent: id, meta, schemas, and with definitions also every
 *   readOnly attribute. writeOnly/returned:never attributes (passwords) are skipped too: the
 *   server never shows them, so any diff would be perpetual.
 * - Names match case-insensitively; the server's spelling is used in paths.
 * - Singular complex attributes are diffed per sub-attribute (`name.givenName`); extension
 *   objects (keyed by URN) per attribute with URN-qualified paths.
 * - Multi-valued attributes compare as unordered sets, an element matching when every
 *   sub-attribute it names is equal (servers add `$ref`, `display`, `type`). When every element
 *   has a unique `value` (members, owners, agents), changes become `add` of the new elements and
 *   `remove` of `attr[value eq "…"]`, which keeps large groups cheap; otherwise the attribute is
 *   replaced as a whole.
 */
import { stringify } from 'scim2-parse-filter';
import type { AttributeDefinition } from '../schema/types';
import { getMember, isObject, type JsonObject } from './json';
import type { PatchOperation } from './types';

const ALWAYS_SERVER_MANAGED = new Set(['id', 'meta', 'schemas']);

export function diffToPatchOps(current: JsonObject, desired: JsonObject, attributeDefs: readonly AttributeDefinition[] = []): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const [desiredName, desiredValue] of Object.entries(desired)) {
    if (ALWAYS_SERVER_MANAGED.has(desiredName.toLowerCase())) continue;
    const name = serverName(current, desiredName);
    const currentValue = getMember(current, desiredName);
    if (/^urn:/i.test(desiredName)) {
      diffExtension(ops, name, currentValue, desiredValue, attributeDefs);
      continue;
    }
    diffAttribute(ops, name, currentValue, desiredValue, findDef(attributeDefs, desiredName));
  }
  return ops;
}

function diffExtension(ops: PatchOperation[], urn: string, current: unknown, desired: unknown, defs: readonly AttributeDefinition[]): void {
  if (!isObject(desired)) {
    if (isEmpty(desired) && !isEmpty(current)) ops.push({ op: 'remove', path: urn });
    return;
  }
  const currentObject = isObject(current) ? current : {};
  for (const [key, value] of Object.entries(desired)) {
    diffAttribute(ops, `${urn}:${serverName(currentObject, key)}`, getMember(currentObject, key), value, findDef(defs, key));
  }
}

function diffAttribute(ops: PatchOperation[], path: string, current: unknown, desired: unknown, def: AttributeDefinition | undefined): void {
  if (def && (def.mutability === 'readOnly' || def.mutability === 'writeOnly' || def.returned === 'never')) return;
  if (isEmpty(desired)) {
    if (!isEmpty(current)) ops.push({ op: 'remove', path });
    return;
  }
  if (isEmpty(current)) {
    ops.push({ op: 'add', path, value: desired });
    return;
  }
  if (Array.isArray(desired) || def?.multiValued) {
    diffMultiValued(ops, path, asArray(current), asArray(desired));
    return;
  }
  if (isObject(desired) && isObject(current)) {
    for (const [key, value] of Object.entries(desired)) {
      const sub = getMember(current, key);
      const subPath = `${path}.${serverName(current, key)}`;
      if (isEmpty(value)) {
        if (!isEmpty(sub)) ops.push({ op: 'remove', path: subPath });
      } else if (!sameValue(sub, value)) ops.push({ op: 'replace', path: subPath, value });
    }
    return;
  }
  if (!sameValue(current, desired)) ops.push({ op: 'replace', path, value: desired });
}

function diffMultiValued(ops: PatchOperation[], path: string, current: unknown[], desired: unknown[]): void {
  if (sameSet(current, desired)) return;
  const currentKeys = valueKeys(current);
  const desiredKeys = valueKeys(desired);
  if (currentKeys && desiredKeys) {
    const unchangedKept = desired.every((element, i) => {
      const index = currentKeys.indexOf(desiredKeys[i]!);
      return index < 0 || elementMatches(current[index], element);
    });
    if (unchangedKept) {
      const removed = current.filter((_, i) => !desiredKeys.includes(currentKeys[i]!));
      const added = desired.filter((_, i) => !currentKeys.includes(desiredKeys[i]!));
      for (const element of removed) {
        ops.push({
          op: 'remove',
          path: `${path}[${stringify({ op: 'eq', attrPath: 'value', compValue: String(getMember(element as JsonObject, 'value')) })}]`,
        });
      }
      if (added.length) ops.push({ op: 'add', path, value: added });
      return;
    }
  }
  ops.push({ op: 'replace', path, value: desired });
}

/** The `value` of every element, when all elements are objects with distinct string values. */
function valueKeys(elements: unknown[]): string[] | undefined {
  const keys: string[] = [];
  for (const element of elements) {
    const value = isObject(element) ? getMember(element, 'value') : undefined;
    if (typeof value !== 'string' || keys.includes(value)) return undefined;
    keys.push(value);
  }
  return keys;
}

/** Unordered equality, each desired element matching a distinct current element. */
function sameSet(current: unknown[], desired: unknown[]): boolean {
  if (current.length !== desired.length) return false;
  const used = new Set<number>();
  return desired.every((element) => {
    const index = current.findIndex((candidate, i) => !used.has(i) && elementMatches(candidate, element));
    if (index < 0) return false;
    used.add(index);
    return true;
  });
}

/** A current element matches a desired one when every sub-attribute the desired one names is equal. */
function elementMatches(current: unknown, desired: unknown): boolean {
  if (isObject(desired) && isObject(current)) {
    return Object.entries(desired).every(([key, value]) => (isEmpty(value) ? isEmpty(getMember(current, key)) : sameValue(getMember(current, key), value)));
  }
  return sameValue(current, desired);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return sameSet(a, b);
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)].map((k) => k.toLowerCase()));
    return [...keys].every((k) => sameValue(getMember(a, k), getMember(b, k)));
  }
  if (isEmpty(a) && isEmpty(b)) return true;
  return a === b;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : isEmpty(value) ? [] : [value];
}

/** The attribute's name as the server spells it, else the desired spelling. */
function serverName(current: JsonObject, name: string): string {
  if (name in current) return name;
  const lower = name.toLowerCase();
  return Object.keys(current).find((k) => k.toLowerCase() === lower) ?? name;
}

/**
 * Definitions by lower-cased name, per frozen list (a profile's lists, schema/attributes.ts, are
 * frozen and live as long as the process): a re-plan diffs every attribute of 11,000 resources.
 * A list that could still change is searched as it is.
 */
const defsByName = new WeakMap<readonly AttributeDefinition[], Map<string, AttributeDefinition>>();

function findDef(defs: readonly AttributeDefinition[], name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  if (!Object.isFrozen(defs)) return defs.find((d) => d.name.toLowerCase() === lower);
  let byName = defsByName.get(defs);
  if (!byName) {
    byName = new Map();
    // The first of a name wins, as a search from the start would find it.
    for (const d of defs) if (!byName.has(d.name.toLowerCase())) byName.set(d.name.toLowerCase(), d);
    defsByName.set(defs, byName);
  }
  return byName.get(lower);
}
