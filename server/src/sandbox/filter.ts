/**
 * Filter evaluation (RFC 7644 §3.4.2.2). scim2-parse-filter parses; the evaluation is ours
 * because string comparisons must follow each attribute's caseExact, dateTimes compare as
 * instants, and ordering operators on booleans are an error (RFC 7644 §3.4.2.2).
 */
import { parse, type Filter } from 'scim2-parse-filter';
import { findAttribute } from '../schema/attributes';
import { effectiveCharacteristics } from './characteristics';
import type { AttributeDefinition } from '../schema/types';
import { ScimError } from './errors';
import type { ResourceModel } from './model';
import { resolvePath, valuesAt, type ResolvedPath } from './paths';
import { isPlainObject, type Json } from './validate';

export const invalidFilter = (detail: string) => new ScimError(400, 'invalidFilter', detail);

export function parseFilter(text: string): Filter {
  if (text.length > 4096) throw invalidFilter('The filter is too long');
  // compValue is a JSON string (RFC 7644 §3.4.2.2), but the parser decodes only `\"` in it
  // (`\\`, `\n`, `\t`, `\uXXXX` stayed literal, and a value ending in `\` did not parse): each
  // string literal is decoded by JSON.parse and the parser sees a placeholder without escapes.
  const literals: string[] = [];
  let masked: string;
  try {
    masked = text.replace(STRING_LITERAL, (literal) => `"${PLACEHOLDER}${literals.push(JSON.parse(literal) as string) - 1}${PLACEHOLDER}"`);
  } catch (e) {
    throw invalidFilter(`Invalid filter: a string value is not a valid JSON string (${(e as Error).message}).`);
  }
  let filter: Filter;
  try {
    filter = parse(masked);
  } catch (e) {
    throw invalidFilter(`Invalid filter: ${(e as Error).message}. String values use double quotes.`);
  }
  return restoreLiterals(filter, literals) as Filter;
}

/** A double-quoted string with JSON escapes; the alternatives are disjoint, so matching is linear. */
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/g;
/** A private-use character around the literal's index: every literal is replaced, so none can pose as one. */
const PLACEHOLDER = '\ue000';
const PLACEHOLDER_VALUE = /^\ue000(\d+)\ue000$/;

function restoreLiterals(node: unknown, literals: readonly string[]): unknown {
  if (Array.isArray(node)) return node.map((n) => restoreLiterals(n, literals));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const index = key === 'compValue' && typeof value === 'string' ? PLACEHOLDER_VALUE.exec(value)?.[1] : undefined;
    out[key] = index !== undefined ? literals[Number(index)] : restoreLiterals(value, literals);
  }
  return out;
}

export interface FilterOptions {
  /**
   * What an attribute the type does not define means: an error for a type's own endpoint,
   * "no match" for a search at the root, where the filter may be meant for another type.
   */
  unknownAttribute: 'error' | 'noMatch';
}

class NoMatch extends Error {}

/** Returns a predicate over rendered resources of `model`. Throws invalidFilter eagerly on bad attributes. */
export function compileFilter(model: ResourceModel, filter: Filter, options: FilterOptions): (r: Json) => boolean {
  const lenient = options.unknownAttribute === 'noMatch';
  try {
    check(model, filter, undefined);
  } catch (e) {
    if (!(e instanceof NoMatch)) throw e;
    // At the root, `userName eq "x" or name eq "y"` is meant for several types at once:
    // a comparison on an attribute this type lacks is simply false.
    if (!lenient) throw invalidFilter(e.message);
  }
  return (r) => test(model, filter, r, undefined);
}

/** Walks the filter once up front so errors do not depend on which resources exist. */
function check(model: ResourceModel, f: Filter, scope: AttributeDefinition | undefined): void {
  switch (f.op) {
    case 'and':
    case 'or':
      f.filters.forEach((c) => check(model, c, scope));
      return;
    case 'not':
      check(model, f.filter, scope);
      return;
    case '[]': {
      const p = resolve(model, f.attrPath, scope);
      if (p.sub || p.attr.type !== 'complex') throw invalidFilter(`'${f.attrPath}' is not a complex attribute`);
      check(model, f.valFilter, p.attr);
      return;
    }
    case 'pr':
      resolve(model, f.attrPath, scope);
      return;
    default: {
      const def = leafDef(resolve(model, f.attrPath, scope));
      const ordering = ['gt', 'ge', 'lt', 'le'].includes(f.op);
      if ((def.type === 'boolean' || def.type === 'binary') && ordering) {
        throw invalidFilter(`'${f.op}' cannot compare the ${def.type} attribute '${f.attrPath}'`);
      }
      if (def.type === 'dateTime' && typeof f.compValue === 'string' && Number.isNaN(Date.parse(f.compValue))) {
        throw invalidFilter(`'${f.compValue}' is not a dateTime`);
      }
    }
  }
}

function resolve(model: ResourceModel, path: string, scope: AttributeDefinition | undefined): ResolvedPath {
  let p: ResolvedPath | undefined;
  if (scope) {
    // Inside attr[...], paths name sub-attributes of attr.
    const sub = findAttribute(scope.subAttributes ?? [], path)?.def;
    p = sub ? { urn: undefined, attr: sub, sub: undefined } : undefined;
  } else p = resolvePath(model, path);
  if (!p) throw new NoMatch(`The attribute '${path}' is not defined for ${model.name}`);
  return p;
}

/** A complex attribute compared directly stands for its `value` sub-attribute. */
function leafDef(p: ResolvedPath): AttributeDefinition {
  const d = p.sub ?? p.attr;
  if (d.type === 'complex') return findAttribute(d.subAttributes ?? [], 'value')?.def ?? d;
  return d;
}

function leafValues(p: ResolvedPath, r: Json): unknown[] {
  const values = valuesAt(r, p);
  const d = p.sub ?? p.attr;
  if (d.type !== 'complex') return values;
  return values.map((v) => (isPlainObject(v) ? v.value : undefined)).filter((v) => v !== undefined && v !== null);
}

function test(model: ResourceModel, f: Filter, r: Json, scope: AttributeDefinition | undefined): boolean {
  try {
    return testOne(model, f, r, scope);
  } catch (e) {
    if (e instanceof NoMatch) return false;
    throw e;
  }
}

function testOne(model: ResourceModel, f: Filter, r: Json, scope: AttributeDefinition | undefined): boolean {
  switch (f.op) {
    case 'and':
      return f.filters.every((c) => test(model, c, r, scope));
    case 'or':
      return f.filters.some((c) => test(model, c, r, scope));
    case 'not':
      return !test(model, f.filter, r, scope);
    case '[]': {
      const p = resolve(model, f.attrPath, scope);
      return valuesAt(r, p).some((item) => isPlainObject(item) && test(model, f.valFilter, item, p.attr));
    }
    case 'pr': {
      const values = valuesAt(r, resolve(model, f.attrPath, scope));
      return values.some((v) => v !== '' && !(isPlainObject(v) && Object.keys(v).length === 0));
    }
    default: {
      const p = resolve(model, f.attrPath, scope);
      const def = leafDef(p);
      const values = leafValues(p, r);
      if (f.compValue === null) {
        // "eq null" asks whether the attribute is unassigned (RFC 7643 §2.5).
        if (f.op === 'eq') return values.length === 0;
        if (f.op === 'ne') return values.length > 0;
        return false;
      }
      const match = (op: string) => values.some((v) => compare(def, op, v, f.compValue));
      return f.op === 'ne' ? !match('eq') : match(f.op);
    }
  }
}

function compare(def: AttributeDefinition, op: string, actual: unknown, expected: unknown): boolean {
  switch (def.type) {
    case 'dateTime': {
      if (typeof actual !== 'string' || typeof expected !== 'string') return false;
      const a = Date.parse(actual);
      const b = Date.parse(expected);
      if (op === 'co' || op === 'sw' || op === 'ew') return stringOp(op, actual, expected);
      return order(op, a, b);
    }
    case 'boolean':
      return op === 'eq' && actual === expected;
    case 'integer':
    case 'decimal':
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (op === 'co' || op === 'sw' || op === 'ew') return stringOp(op, String(actual), String(expected));
      return order(op, actual, expected);
    default: {
      if (typeof actual !== 'string' || typeof expected !== 'string') return false;
      const exact = effectiveCharacteristics(def).caseExact;
      const a = exact ? actual : actual.toLowerCase();
      const b = exact ? expected : expected.toLowerCase();
      if (op === 'co' || op === 'sw' || op === 'ew') return stringOp(op, a, b);
      return order(op, a, b);
    }
  }
}

function stringOp(op: string, a: string, b: string): boolean {
  if (op === 'co') return a.includes(b);
  if (op === 'sw') return a.startsWith(b);
  return a.endsWith(b);
}

function order<T extends number | string>(op: string, a: T, b: T): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
    default:
      return false;
  }
}
