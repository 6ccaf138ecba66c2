/**
 * How our schemas are compiled, shared by the build's precompile (precompile.ts) and the run's
 * compile of a server's schemas (validator.ts), so the two give the same errors.
 */
import type Ajv2020 from 'ajv/dist/2020';
import { ANNOTATION_KEYWORDS, type JsonSchema } from './jsonSchema';

/** An ajv for draft 2020-12 that knows the editor annotations the generated schemas carry. */
export function createAjv(options: { forRuntime?: boolean; source?: boolean } = {}): Ajv2020 {
  // At run time the schemas are our own generated ones, checked against the meta-schema by the
  // tests: skipping that check (and code optimisation) cuts a compile several-fold. The build's
  // precompile keeps the code (`source`) and optimises it: it runs once.
  const runtime = options.forRuntime ? { validateSchema: false, code: { optimize: !!options.source, source: !!options.source } } : {};
  // Loaded here: a run that compiles nothing (no server profile) never loads ajv's compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above
  const { default: Ajv } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, ...runtime });
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  return ajv;
}

/** What a schema validates, without the names that do not change it ($id, title, description). */
export function validatedContent(schema: JsonSchema): string {
  const { $id: _id, title: _title, description: _description, ...validated } = schema;
  return JSON.stringify(validated);
}

/** The key of a bundled profile's validator for resources of base schema `schemaUrn`. */
export function precompiledKey(profileId: string, schemaUrn: string): string {
  return `${profileId} ${schemaUrn}`;
}
