/**
 * The generated JSON Schema files, as path → text. Pure, so tests can check that the files
 * on disk are exactly what the definitions produce; generateMain.ts writes them.
 */
import { DEFAULT_PROFILE_ID, PROFILE_MARKER_ATTRIBUTES, allProfiles } from './profiles';
import { JSON_SCHEMA_DIALECT, SCHEMA_ID_BASE, jsonSchemaPath, toJsonSchema, type JsonSchema } from './jsonSchema';
import type { ProfileId } from './types';

export const MANIFEST_SCHEMA_PATH = 'manifest.schema.json';

/** Stable text: keys keep their construction order, two-space indent, trailing newline. */
export function serialize(schema: JsonSchema): string {
  return JSON.stringify(schema, null, 2) + '\n';
}

export function generatedFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const profile of allProfiles()) {
    for (const rt of profile.resourceTypes) files.set(jsonSchemaPath(profile.id, rt), serialize(toJsonSchema(profile, rt)));
  }
  files.set(MANIFEST_SCHEMA_PATH, serialize(manifestSchema()));
  return files;
}

interface Variant {
  profileId: ProfileId;
  defName: string;
  schema: JsonSchema;
}

/**
 * A schema for a whole JSON manifest: one resource object or an array of them. Each resource
 * is routed by its `schemas` with if/then, so an error names the one schema that applies
 * instead of listing every oneOf branch. Where two profiles define the same base URN
 * differently (Agent), a profile's marker attribute selects it, else the default profile.
 * The resource schemas are embedded under $defs without their $id, so nothing is fetched.
 */
export function manifestSchema(): JsonSchema {
  const byUrn = new Map<string, Variant[]>();
  const defs: JsonSchema = {};
  for (const profile of allProfiles()) {
    for (const rt of profile.resourceTypes) {
      const { $schema: _dialect, $id: _id, ...schema } = toJsonSchema(profile, rt);
      const variants = byUrn.get(rt.schema) ?? [];
      // Identical definitions (User, Group) are emitted once, under the first profile.
      if (variants.some((v) => sameSchema(v.schema, schema))) continue;
      const defName = `${profile.id}.${rt.name}`;
      defs[defName] = schema;
      variants.push({ profileId: profile.id as ProfileId, defName, schema });
      byUrn.set(rt.schema, variants);
    }
  }
  const routes: JsonSchema[] = [];
  for (const [urn, variants] of byUrn) {
    const hasUrn = { type: 'array', contains: { const: urn } };
    if (variants.length === 1) {
      routes.push({ if: { required: ['schemas'], properties: { schemas: hasUrn } }, then: { $ref: `#/$defs/${variants[0].defName}` } });
      continue;
    }
    const markers = variants.flatMap((v) => PROFILE_MARKER_ATTRIBUTES[v.profileId] ?? []);
    for (const v of variants) {
      const own = PROFILE_MARKER_ATTRIBUTES[v.profileId] ?? [];
      let selector: JsonSchema;
      if (own.length) {
        selector = { required: ['schemas', ...own], properties: { schemas: hasUrn, ...Object.fromEntries(own.map((m) => [m, true])) } };
      } else if (v.profileId === DEFAULT_PROFILE_ID) {
        selector = {
          required: ['schemas'],
          properties: { schemas: hasUrn },
          not: { anyOf: markers.map((m) => ({ required: [m], properties: { [m]: true } })) },
        };
      } else {
        continue; // Neither marked nor the default: unreachable from a manifest by detection.
      }
      routes.push({ if: selector, then: { $ref: `#/$defs/${v.defName}` } });
    }
  }
  const baseUrns = [...byUrn.keys()];
  defs.resource = {
    description: 'One SCIM resource; its schemas value selects which resource schema applies.',
    type: 'object',
    required: ['schemas'],
    properties: {
      schemas: {
        description: 'URNs of the schemas this resource uses; one must be a known base schema.',
        type: 'array',
        items: { type: 'string' },
        contains: { enum: baseUrns },
      },
    },
    allOf: routes,
  };
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: SCHEMA_ID_BASE + MANIFEST_SCHEMA_PATH,
    title: 'scim-agents manifest (JSON)',
    description:
      'A JSON manifest: one SCIM resource object or an array of them. Attribute names are checked in canonical case; the scim-agents language server also accepts other cases and offers a fix.',
    type: ['object', 'array'],
    if: { type: 'array' },
    then: { items: { $ref: '#/$defs/resource' } },
    else: { $ref: '#/$defs/resource' },
    $defs: defs,
  };
}

function sameSchema(a: JsonSchema, b: JsonSchema): boolean {
  // Titles and descriptions name the profile; compare what is validated and shown otherwise.
  const strip = ({ title: _t, description: _d, ...rest }: JsonSchema) => JSON.stringify(rest);
  return strip(a) === strip(b);
}
