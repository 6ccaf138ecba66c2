/**
 * What a new sandbox holds when no seed file is given: people and teams to own agents.
 * Keys are resource type names; `bulkId` names an entry so others can reference it as
 * "bulkId:<name>", exactly as in a SCIM Bulk request (RFC 7644 §3.7.2).
 */
import type { SeedDocument } from './seed';

export const DEFAULT_SEED: SeedDocument = {
  User: [
    {
      bulkId: 'alice',
      userName: 'alice',
      name: { givenName: 'Alice', familyName: 'Nakamura' },
      displayName: 'Alice Nakamura',
      emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
      title: 'Staff ML Engineer',
      active: true,
    },
    {
      bulkId: 'bob',
      userName: 'bob',
      name: { givenName: 'Bob', familyName: 'Okafor' },
      displayName: 'Bob Okafor',
      emails: [{ value: 'bob@example.com', type: 'work', primary: true }],
      title: 'Security Engineer',
      active: true,
    },
    {
      // Deactivated: an owner that should trip the "owner-orphaned" check.
      bulkId: 'carol',
      userName: 'carol',
      name: { givenName: 'Carol', familyName: 'Silva' },
      displayName: 'Carol Silva',
      emails: [{ value: 'carol@example.com', type: 'work', primary: true }],
      active: false,
    },
  ],
  Group: [
    { bulkId: 'platform', displayName: 'AI Platform Team', members: [{ value: 'bulkId:alice' }, { value: 'bulkId:bob' }] },
    { bulkId: 'security', displayName: 'Security Reviewers', members: [{ value: 'bulkId:bob' }] },
  ],
};
