/**
 * Compiled ajv validators for the generated JSON Schemas, one per (profile, base schema URN),
 * compiled on first use and kept: compiling costs milliseconds, validating microseconds.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { ANNOTATION_KEYWORDS, toJsonSchema, type JsonSchema } from './jsonSchema';
import { getProfile, resourceTypeForSchema } from './profiles';
import type { Profile, ProfileId } from './types';

/** An ajv for draft 2020-12 that knows the editor annotations the generated schemas carry. */
export function createAjv(options: { forRuntime?: boolean } = {}): Ajv2020 {
  // At run time the schemas are our own generated ones, checked against the meta-schema by the
  // tests: skipping that check (and code optimisation) cuts the first lint's compile several-fold.
  const runtime = options.forRuntime ? { validateSchema: false, code: { optimize: false } } : {};
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, ...runtime });
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  return ajv;
}

let shared: Ajv2020 | undefined;
const validators = new WeakMap<Profile, Map<string, ValidateFunction>>();
// User and Group are the same in every profile: compile such schemas once, keyed by content.
const byContent = new Map<string, ValidateFunction>();

/**
 * The validator for resources whose base schema is `schemaUrn` under `profileId` (keys in
 * canonical case), or undefined when the profile has no resource type with that schema.
 */
export function getValidator(profileOrId: Profile | ProfileId, schemaUrn: string): ValidateFunction | undefined {
  const profile = typeof profileOrId === 'string' ? getProfile(profileOrId) : profileOrId;
  // Bundled profiles are shared for the process; a server profile's validators live as long as it.
  let perProfile = validators.get(profile);
  if (!perProfile) validators.set(profile, (perProfile = new Map()));
  const cached = perProfile.get(schemaUrn);
  if (cached) return cached;
  const resourceType = resourceTypeForSchema(profile, schemaUrn);
  if (!resourceType) return undefined;
  const schema = toJsonSchema(profile, resourceType);
  // Each server's definitions differ under the same `$id`: ajv must not register them by it.
  if (profile.id === 'server') delete schema.$id;
  const validate = compile(schema);
  perProfile.set(schemaUrn, validate);
  return validate;
}

function compile(schema: JsonSchema): ValidateFunction {
  const { $id: _id, title: _title, description: _description, ...validated } = schema;
  const key = JSON.stringify(validated);
  let validate = byContent.get(key);
  if (!validate) {
    shared ??= createAjv({ forRuntime: true });
    validate = shared.compile(schema);
    byContent.set(key, validate);
  }
  return validate;
}
