/**
 * Keys the authoring layer adds to a SCIM resource. They never reach a server: the
 * provisioning payload drops them, and validation ignores them.
 */
export const PROFILE_KEY = 'x-scim-agents-profile';

export function isAuthoringKey(key: string): boolean {
  return key.toLowerCase().startsWith('x-scim-agents-');
}
