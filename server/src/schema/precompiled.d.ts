/**
 * The validators compiled when we build (precompile.ts writes them to
 * schemas/generated/validators.js; esbuild.mjs resolves this name to that file).
 */
declare module 'scim-agents:validators' {
  import type { ValidateFunction } from 'ajv/dist/2020';
  /** By precompiledKey(profile id, base schema URN), for every bundled profile's resource types. */
  export const resourceValidators: Readonly<Record<string, ValidateFunction | undefined>>;
  /** schemas/config.schema.json's, compiled with config/parse.ts's options. */
  export const configValidator: ValidateFunction;
}
