/**
 * Turns RFC 7643 §7 definitions into JSON Schema (draft 2020-12) for one resource type.
 *
 * The input it describes has keys ALREADY in canonical case: SCIM names are case-insensitive,
 * which JSON Schema cannot say, so the engine rewrites keys (and aliases) before validating.
 * readOnly attributes are accepted (a GET response carries them); the lint layer warns about
 * them separately. canonicalValues become `examples` (completion hints), never `enum`: they are
 * not exhaustive (RFC 7643 §2.2).
 */
import { commonAttributes, schemaUrnsOf } from './profiles';
import type { AttributeDefinition, Profile, ProfileName, ResourceTypeDefinition, SchemaDefinition } from './types';

export type JsonSchema = { [keyword: string]: unknown };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
/** Base of the generated schemas' `$id`s: identifiers only, nothing is ever fetched from there. */
export const SCHEMA_ID_BASE = 'https://scim-agents.dev/schemas/';

/** xsd:dateTime (RFC 7643 §2.3.5): date, time, optional fraction, optional zone. 24:00:00 is not accepted. */
export const DATE_TIME_PATTERN =
  '^-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$';
/**
 * base64, RFC 4648 §4 alphabet (not base64url), no whitespace or line breaks, padding at the end.
 * One character class, not `(?:[…]{4})*`: a starred group costs the regexp engine a backtrack
 * entry per repetition, and an 8 MB value overflowed the stack ("Maximum call stack size
 * exceeded"). The length is not checked to be a multiple of 4 (no linear JSON Schema pattern can).
 */
export const BASE64_PATTERN = '^[A-Za-z0-9+/]*={0,2}$';

/** Keywords outside the JSON Schema vocabularies that the generated schemas use (for ajv's strict mode). */
export const ANNOTATION_KEYWORDS = ['markdownDescription', 'deprecationMessage'] as const;

export function jsonSchemaPath(profileId: ProfileName, resourceType: ResourceTypeDefinition): string {
  return `${profileId}/${resourceType.name}.schema.json`;
}

export function toJsonSchema(profile: Profile, resourceType: ResourceTypeDefinition): JsonSchema {
  const base = schemaOf(profile, resourceType.schema);
  const { properties, required } = attributesSchema([...base.attributes, ...commonAttributes]);
  const extensions = resourceType.schemaExtensions ?? [];
  for (const ext of extensions) {
    const extSchema = schemaOf(profile, ext.schema);
    const inner = attributesSchema(extSchema.attributes);
    properties[ext.schema] = {
      description: extSchema.description ?? extSchema.name,
      markdownDescription: `${extSchema.description ?? extSchema.name}\n\nExtension \`${ext.schema}\`, ${ext.required ? '**required**' : 'optional'} on ${resourceType.name}.`,
      type: 'object',
      ...(inner.required.length ? { required: inner.required } : {}),
      properties: inner.properties,
      additionalProperties: false,
    };
    if (ext.required) required.push(ext.schema);
  }
  const urns = schemaUrnsOf(resourceType);
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: SCHEMA_ID_BASE + jsonSchemaPath(profile.id, resourceType),
    title: `${resourceType.name} (${profile.id})`,
    description: `A SCIM ${resourceType.name} resource (${resourceType.endpoint}) under ${profile.title}. Attribute names must already be in canonical case.`,
    type: 'object',
    required: ['schemas', ...required],
    properties: {
      schemas: {
        description: 'URNs of the schemas this resource uses: the base schema and any extensions present.',
        markdownDescription: `URNs of the schemas this resource uses (RFC 7643 §3). Must contain \`${resourceType.schema}\`; may add: ${
          urns.length > 1
            ? urns
                .slice(1)
                .map((u) => `\`${u}\``)
                .join(', ')
            : 'nothing else'
        }.`,
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string' },
        contains: { const: resourceType.schema },
        examples: urns.map((_, i) => urns.slice(0, i + 1)),
      },
      ...properties,
    },
    additionalProperties: false,
  };
}

function schemaOf(profile: Profile, urn: string): SchemaDefinition {
  const schema = profile.schemas.get(urn);
  if (!schema) throw new Error(`profile ${profile.id} has no schema ${urn}`);
  return schema;
}

function attributesSchema(defs: readonly AttributeDefinition[]): { properties: JsonSchema; required: string[] } {
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const def of defs) {
    properties[def.name] = attributeSchema(def);
    if (def.required) required.push(def.name);
    // The engine rewrites aliases before validating; the alias keys are here for editors that
    // validate raw files with this schema (VS Code's jsonValidation), so they flag, not reject.
    for (const alias of def['x-aliases'] ?? []) {
      properties[alias] = {
        ...attributeSchema(def),
        deprecated: true,
        deprecationMessage: `Misspelling of "${def.name}", accepted and rewritten to it.`,
      };
    }
  }
  return { properties, required };
}

function attributeSchema(def: AttributeDefinition): JsonSchema {
  // RFC 7643 §2.5: null (or an empty array) means unassigned, which a required attribute cannot be.
  const nullable = !def.required;
  const annotations: JsonSchema = {
    description: def.description ?? def.name,
    markdownDescription: markdownFor(def),
  };
  if (def.mutability === 'readOnly') annotations.readOnly = true;
  if (def.mutability === 'writeOnly') annotations.writeOnly = true;
  if (def.multiValued) {
    return { ...annotations, type: nullable ? ['array', 'null'] : 'array', items: valueSchema(def, false) };
  }
  return { ...annotations, ...valueSchema(def, nullable) };
}

/** The schema of one value of `def` (one array item when multi-valued). */
function valueSchema(def: AttributeDefinition, nullable: boolean): JsonSchema {
  const type = (t: string) => (nullable ? [t, 'null'] : t);
  const hints: JsonSchema = def.canonicalValues?.length ? { examples: def.canonicalValues } : {};
  switch (def.type) {
    case 'string':
      return { type: type('string'), ...(def.required ? { minLength: 1 } : {}), ...hints };
    case 'reference':
      return { type: type('string'), ...hints };
    case 'boolean':
      return { type: type('boolean') };
    case 'integer':
      return { type: type('integer'), ...hints };
    case 'decimal':
      return { type: type('number'), ...hints };
    case 'dateTime':
      return { type: type('string'), pattern: DATE_TIME_PATTERN };
    case 'binary':
      return { type: type('string'), pattern: BASE64_PATTERN };
    case 'complex': {
      const inner = attributesSchema(def.subAttributes ?? []);
      return {
        type: type('object'),
        ...(inner.required.length ? { required: inner.required } : {}),
        properties: inner.properties,
        additionalProperties: false,
      };
    }
  }
}

const TYPE_LABEL: Record<AttributeDefinition['type'], string> = {
  string: 'string',
  boolean: 'boolean',
  decimal: 'decimal',
  integer: 'integer',
  dateTime: 'dateTime (xsd:dateTime, e.g. 2025-01-23T04:56:22Z)',
  binary: 'binary (base64)',
  reference: 'reference (URI)',
  complex: 'complex',
};

/** Hover text: the description, then the SCIM characteristics a reader needs. */
function markdownFor(def: AttributeDefinition): string {
  const facts = [
    `\`${def.name}\`: ${def.multiValued ? 'multi-valued ' : ''}${TYPE_LABEL[def.type]}`,
    def.required ? '**required**' : 'optional',
    `mutability ${def.mutability ?? 'readWrite'}`,
    `returned ${def.returned ?? 'default'}`,
  ];
  if (def.uniqueness && def.uniqueness !== 'none') facts.push(`unique (${def.uniqueness})`);
  if (def.type === 'string' || def.type === 'reference' || def.type === 'binary') {
    facts.push(def.caseExact ? 'case-sensitive' : 'case-insensitive');
  }
  const parts = [def.description ?? '', facts.join(' · ')];
  if (def.canonicalValues?.length) {
    parts.push(`Canonical values (not exhaustive): ${def.canonicalValues.map((v) => `\`${v}\``).join(', ')}`);
  }
  if (def.referenceTypes?.length) parts.push(`References: ${def.referenceTypes.map((v) => `\`${v}\``).join(', ')}`);
  if (def['x-aliases']?.length) parts.push(`Also accepted as: ${def['x-aliases'].map((v) => `\`${v}\``).join(', ')}`);
  if (def.mutability === 'readOnly') parts.push('Set by the service provider: a value sent by a client is ignored.');
  if (def.mutability === 'writeOnly') parts.push('Never returned by the service provider.');
  return parts.filter(Boolean).join('\n\n');
}
