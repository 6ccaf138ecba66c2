/**
 * Agent documents for the editing tests: each with an externalId, a name and a display name made
 * from a stem and its number, owned by alice, with the test's own extra lines after.
 */
export function ownedAgent(stem: string, i: number, extra: readonly string[] = []): string {
  const display = stem.charAt(0).toUpperCase() + stem.slice(1);
  return [
    'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]',
    `externalId: ${stem}-${i}`,
    `name: ${stem}-${i}`,
    `displayName: ${display} ${i}`,
    'owners:',
    '  - value: user:alice',
    ...extra,
  ].join('\n');
}
