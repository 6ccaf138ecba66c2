/**
 * The ajv validator for each (profile, base schema URN). A bundled profile's were compiled when
 * we built (precompile.ts: `scim-agents:validators`); a server profile's are compiled on first
 * use and kept: compiling costs milliseconds, validating microseconds.
 */
import type { default as Ajv2020, ValidateFunction } from 'ajv/dist/2020';
import { resourceValidators } from 'scim-agents:validators';
import { createAjv, precompiledKey, validatedContent } from './ajvOptions';
import { toJsonSchema, type JsonSchema } from './jsonSchema';
import { getProfile, resourceTypeForSchema } from './profiles';
import type { Profile, ProfileId } from './types';

export { createAjv };

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
  const validate =
    (profile.id !== 'server' && resourceValidators[precompiledKey(profile.id, resourceType.schema)]) || compile(profile, toJsonSchema(profile, resourceType));
  perProfile.set(schemaUrn, validate);
  return validate;
}

function compile(profile: Profile, schema: JsonSchema): ValidateFunction {
  // Each server's definitions differ under the same `$id`: ajv must not register them by it.
  if (profile.id === 'server') delete schema.$id;
  const key = validatedContent(schema);
  let validate = byContent.get(key);
  if (!validate) {
    shared ??= createAjv({ forRuntime: true });
    validate = shared.compile(schema);
    byContent.set(key, validate);
  }
  return validate;
}
