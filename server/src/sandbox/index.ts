/** The local SCIM sandbox: the public surface other layers use. */
export { startSandbox, DEFAULT_BULK, DEFAULT_MAX_RESULTS, type Sandbox, type SandboxOptions } from './server';
export type { SeedDocument } from './seed';
