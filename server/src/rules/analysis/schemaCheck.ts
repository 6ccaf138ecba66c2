import type { ErrorObject } from 'ajv';
import type { Span } from '../../manifest/text';
import type { AttributeDefinition } from '../../schema/types';
import { getValidator } from '../../schema/validator';
import type { BoundAttribute, BoundResource } from '../../model/bind';
import { unescapePointer } from '../../model/bind';
import { closestName } from './suggest';

/** What JSON Schema validation found, already translated into the words of SCIM. */
export interface SchemaProblem {
  kind: 'required' | 'unknown' | 'type';
  span: Span;
  message: string;
  data: Record<string, unknown>;
}

/**
 * Keyed by the normalized value, which a binding owns and which copies of a binding reused for
 * an unchanged document share: an edit elsewhere in the file does not validate it again.
 */
const cache = new WeakMap<object, SchemaProblem[]>();

/**
 * Runs the generated JSON Schema over the resource once (rules share the result) and maps each
 * error to the node it concerns. ajv's own wording never reaches the user.
 */
export function schemaProblems(bound: BoundResource): SchemaProblem[] {
  const cached = cache.get(bound.normalized);
  if (cached) return cached;
  const problems: SchemaProblem[] = [];
  cache.set(bound.normalized, problems);
  const type = bound.resourceType;
  if (!type) return problems;
  for (const { entry, urn } of bound.foreignQualified) {
    const schema = bound.profile.schemas.get(urn);
    problems.push({
      kind: 'unknown',
      span: entry.keySpan,
      message: `"${entry.key}" names an attribute of the ${schema?.name ?? urn} schema (${urn}), which this ${type.name} does not use: write the attribute of a ${type.name} without that prefix, or with its own (${type.schema}:).`,
      data: { attribute: entry.key, schema: urn },
    });
  }
  const validate = getValidator(bound.profile, type.schema);
  if (!validate || validate(bound.normalized)) return problems;

  const byPointer = new Map<string, BoundAttribute>();
  for (const a of bound.attributes) byPointer.set(a.pointer, a);
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    if (error.instancePath === '/schemas' || error.instancePath.startsWith('/schemas/')) continue;
    if (error.keyword === 'required' && error.instancePath === '' && (error.params as { missingProperty?: string }).missingProperty === 'schemas') continue;
    const problem = translate(bound, error, byPointer);
    if (!problem) continue;
    const key = `${problem.kind}:${problem.span.start}:${problem.span.end}:${String(problem.data.attribute ?? '')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}

function translate(bound: BoundResource, error: ErrorObject, byPointer: Map<string, BoundAttribute>): SchemaProblem | undefined {
  const where = describeContainer(bound, error.instancePath, byPointer);
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      // Given twice with different values: duplicate-attribute says so; it is not missing.
      if (bound.conflicted.has(`${error.instancePath}/${missing.replace(/~/g, '~0').replace(/\//g, '~1')}`)) return undefined;
      return {
        kind: 'required',
        span: missingSpan(bound, error.instancePath),
        message: `${where.capitalized} is missing the required attribute "${missing}".`,
        data: { attribute: missing, pointer: error.instancePath },
      };
    }
    case 'additionalProperties': {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      const pointer = `${error.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const attr = byPointer.get(pointer);
      const known = knownNames(bound, error.instancePath, byPointer);
      const suggestion = closestName(name, known);
      return {
        kind: 'unknown',
        span: attr?.entry.keySpan ?? spanOf(bound, error.instancePath),
        message:
          (bound.profile.id === 'server'
            ? `"${name}" is not an attribute of ${where.noun} in ${bound.profile.title}: the server will not keep it.`
            : `"${name}" is not an attribute of ${where.noun} in profile ${bound.profile.id}.`) + (suggestion ? ` Did you mean "${suggestion}"?` : ''),
        data: { attribute: name, ...(suggestion ? { suggestion } : {}) },
      };
    }
    default: {
      const attr = attributeAt(error.instancePath, byPointer);
      const def = attr?.def;
      const isItem = /\/\d+$/.test(error.instancePath);
      const value = valueAt(bound.normalized, error.instancePath);
      const name = attr ? attributeLabel(attr) : lastSegment(error.instancePath);
      const expected = def ? expectation(def, isItem) : 'a different value';
      return {
        kind: 'type',
        span: spanOf(bound, error.instancePath),
        message: `${isItem ? `Each value of "${name}"` : `"${name}"`} must be ${expected}, but this is ${describeValue(value)}.`,
        data: { attribute: name, expectedType: def?.type, multiValued: def?.multiValued ?? false },
      };
    }
  }
}

function attributeAt(pointer: string, byPointer: Map<string, BoundAttribute>): BoundAttribute | undefined {
  return byPointer.get(pointer) ?? byPointer.get(pointer.replace(/\/\d+$/, ''));
}

function attributeLabel(a: BoundAttribute): string {
  const own = a.canonicalName ?? a.entry.key;
  return a.parent?.def ? `${a.parent.canonicalName}.${own}` : own;
}

function describeContainer(bound: BoundResource, pointer: string, byPointer: Map<string, BoundAttribute>): { noun: string; capitalized: string } {
  if (pointer === '') {
    const noun = `this ${bound.resourceType?.name ?? 'resource'}`;
    return { noun, capitalized: capitalize(noun) };
  }
  const attr = attributeAt(pointer, byPointer);
  const noun = `this "${attr ? attributeLabel(attr) : lastSegment(pointer)}" value`;
  return { noun, capitalized: capitalize(noun) };
}

function knownNames(bound: BoundResource, containerPointer: string, byPointer: Map<string, BoundAttribute>): string[] {
  if (containerPointer === '' && bound.resourceType) {
    const defs: AttributeDefinition[] = [...(bound.profile.schemas.get(bound.resourceType.schema)?.attributes ?? [])];
    return [...defs.map((d) => d.name), 'externalId'];
  }
  const holder = attributeAt(containerPointer, byPointer);
  return (holder?.def?.subAttributes ?? []).map((d) => d.name);
}

/** A missing attribute is reported on the key that holds the incomplete object. */
function missingSpan(bound: BoundResource, pointer: string): Span {
  const owner = bound.owners.get(pointer);
  if (owner) return owner.keySpan;
  if (pointer === '') {
    const anchor = bound.schemasEntry ?? bound.resource.root.entries[0];
    if (anchor) return anchor.keySpan;
  }
  return spanOf(bound, pointer);
}

function spanOf(bound: BoundResource, pointer: string): Span {
  let p = pointer;
  for (;;) {
    const node = bound.nodes.get(p);
    if (node) return node.span;
    if (p === '') return bound.resource.root.span;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  let v: unknown = root;
  for (const seg of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[unescapePointer(seg)];
  }
  return v;
}

function lastSegment(pointer: string): string {
  return unescapePointer(pointer.slice(pointer.lastIndexOf('/') + 1));
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  boolean: 'true or false',
  integer: 'a whole number',
  decimal: 'a number',
  dateTime: 'a date and time such as 2025-01-31T12:00:00Z (xsd:dateTime)',
  binary: 'base64 data (RFC 4648 §4, no line breaks)',
  reference: 'a URI or reference string',
};

function expectation(def: AttributeDefinition, isItem: boolean): string {
  const single =
    def.type === 'complex'
      ? `an object with ${(def.subAttributes ?? []).map((s) => `"${s.name}"`).join(', ') || 'sub-attributes'}`
      : (TYPE_WORDS[def.type] ?? `of type ${def.type}`);
  if (def.multiValued && !isItem) return `a list (each value ${single})`;
  return single;
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
      return `the string "${shown}"`;
    }
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return String(typeof value);
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
