/**
 * fast-check arbitraries for manifests, derived from the same SCIM schema definitions the
 * engine validates against (so "valid" follows the schemas as they change), plus text
 * mutations that turn a good manifest into the damaged ones users type half-way.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { getProfile } from '../../server/src/schema/profiles';
import type { AttributeDefinition, ProfileId } from '../../server/src/schema/types';

const REFERENCES = [
  'user:alice',
  'group:AI Platform Team',
  'agent:support-triage',
  'application:suite',
  'https://example.com/x',
  '2819c223-7f76-453a-919d-413861904646',
  'user:',
];

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', 'true', '~', '- a', 'a: b', '#x', '&a', '*a', '"', "'", '{', '[', '${env:TOKEN}') },
);

function single(attr: AttributeDefinition, depth: number): fc.Arbitrary<unknown> {
  switch (attr.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer();
    case 'decimal':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'dateTime':
      return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'binary':
      return fc.base64String({ maxLength: 64 });
    case 'reference':
      return fc.oneof(fc.constantFrom(...REFERENCES), text);
    case 'complex': {
      if (depth > 2 || !attr.subAttributes?.length) return fc.constant({});
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const sub of attr.subAttributes) model[sub.name] = valueOf(sub, depth + 1);
      return fc.record(model, { requiredKeys: [] });
    }
    default:
      return attr.canonicalValues?.length ? fc.oneof(fc.constantFrom(...attr.canonicalValues), text) : fc.oneof(text, fc.constantFrom(...REFERENCES));
  }
}

function valueOf(attr: AttributeDefinition, depth = 0): fc.Arbitrary<unknown> {
  const one = single(attr, depth);
  return attr.multiValued ? fc.array(one, { maxLength: 3 }) : one;
}

/** A SCIM resource of one of the profile's resource types, with a random subset of its attributes. */
export function resourceArb(profileId: ProfileId = 'abbey-00'): fc.Arbitrary<Record<string, unknown>> {
  const profile = getProfile(profileId);
  const perType = profile.resourceTypes.map((rt) => {
    const schema = profile.schemas.get(rt.schema)!;
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const attr of schema.attributes) model[attr.name] = valueOf(attr);
    return fc
      .tuple(fc.record(model, { requiredKeys: [] }), fc.boolean())
      .map(([attrs, withSchemas]) => (withSchemas ? { schemas: [rt.schema], ...attrs } : attrs));
  });
  return fc.oneof(...perType);
}

export type Format = 'yaml' | 'json';

/** One manifest file's text: several resources as YAML documents, or a JSON object/array. */
export function manifestArb(format: Format): fc.Arbitrary<string> {
  return fc.array(resourceArb(), { minLength: 1, maxLength: 3 }).map((resources) => serialize(resources, format));
}

export function serialize(resources: Record<string, unknown>[], format: Format): string {
  if (format === 'json') return JSON.stringify(resources.length === 1 ? resources[0] : resources, null, 2) + '\n';
  return resources.map((r) => stringify(r)).join('---\n');
}

const SPECIAL = [
  ':',
  '-',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&',
  '*',
  '!',
  '|',
  '>',
  '#',
  '"',
  "'",
  '%',
  '@',
  '`',
  '?',
  '\t',
  '\r',
  '\n',
  '\r\n',
  '\u0000',
  '\uFEFF',
  '\uFFFD',
  '\uD800',
  '\uDC00',
  '\u2028',
  '   ',
  '---\n',
  '...\n',
  '<<: *a\n',
  '&a ',
  '*a',
];

type Mutation = (s: string) => string;
const at = (s: string, f: number) => Math.min(s.length, Math.floor(f * (s.length + 1)));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }).map((f) => (s: string) => s.slice(0, at(s, f))),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...SPECIAL)).map(
    ([f, c]) =>
      (s: string) =>
        s.slice(0, at(s, f)) + c + s.slice(at(s, f)),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ unit: 'binary', maxLength: 8 })).map(
    ([f, c]) =>
      (s: string) =>
        s.slice(0, at(s, f)) + c + s.slice(at(s, f)),
  ),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 40 })).map(
    ([f, n]) =>
      (s: string) =>
        s.slice(0, at(s, f)) + s.slice(at(s, f) + n),
  ),
  fc.double({ min: 0, max: 1, noNaN: true }).map((f) => (s: string) => {
    // duplicate a line: duplicate keys, repeated list items
    const lines = s.split('\n');
    const i = Math.min(lines.length - 1, Math.floor(f * lines.length));
    lines.splice(i, 0, lines[i]!);
    return lines.join('\n');
  }),
  fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('  ', ' ', '\t')).map(([f, indent]) => (s: string) => {
    const lines = s.split('\n');
    const i = Math.min(lines.length - 1, Math.floor(f * lines.length));
    lines[i] = indent + lines[i];
    return lines.join('\n');
  }),
  fc.double({ min: 0, max: 1, noNaN: true }).map((f) => (s: string) => {
    // flip the case of one line's key: SCIM names are case-insensitive
    const lines = s.split('\n');
    const i = Math.min(lines.length - 1, Math.floor(f * lines.length));
    lines[i] = lines[i]!.replace(/^(\s*-?\s*)([A-Za-z])/, (_m, p: string, c: string) => p + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
    return lines.join('\n');
  }),
);

/** A valid manifest with 1–4 mutations applied. */
export function mutatedArb(format: Format): fc.Arbitrary<string> {
  return fc.tuple(manifestArb(format), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([s, ms]) => ms.reduce((acc, m) => m(acc), s));
}

/** Anything at all: random code points (lone surrogates included), or random bytes read as latin1. */
export const noiseArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 400 }),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.array(fc.constantFrom(...SPECIAL, 'a', 'b: ', '- ', '  ', 'schemas', 'name'), { maxLength: 120 }).map((parts) => parts.join('')),
);

/** Nesting `depth` deep, in one of the syntaxes a parser recurses on. */
export function nested(kind: 'flow-seq' | 'flow-map' | 'block-map' | 'block-seq' | 'json', depth: number): string {
  switch (kind) {
    case 'flow-seq':
      return `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: deep\nx: ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
    case 'flow-map':
      return `schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: deep\nx: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
    case 'json':
      return `{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Agent"], "name": "deep", "x": ${'{"a": '.repeat(depth)}1${'}'.repeat(depth)}}\n`;
    case 'block-map': {
      let s = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: deep\nx:\n';
      for (let i = 1; i <= depth; i++) s += `${' '.repeat(i)}a:\n`;
      return s + `${' '.repeat(depth + 1)}b: 1\n`;
    }
    case 'block-seq': {
      let s = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: deep\nx:\n';
      for (let i = 1; i <= depth; i++) s += `${' '.repeat(i * 2)}-\n`;
      return s + `${' '.repeat(depth * 2 + 2)}1\n`;
    }
  }
}

/** A "billion laughs" chain: `levels` anchors, each listing the previous `fanout` times. */
export function aliasBomb(levels: number, fanout: number, inFlow = false): string {
  let s = 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: lol\nowners: [{value: user:alice}]\nl0: &l0 "lol"\n';
  for (let i = 1; i <= levels; i++) {
    const refs = Array.from({ length: fanout }, () => `*l${i - 1}`);
    s += inFlow ? `l${i}: &l${i} [${refs.join(', ')}]\n` : `l${i}: &l${i}\n${refs.map((r) => `  - ${r}`).join('\n')}\n`;
  }
  return s;
}
