import type { ResourceRule } from '../types';
import { attr, isAssigned } from '../../model/values';
import { resourceAnchor } from '../../workspace/keys';

export const ownerMissing: ResourceRule = {
  code: 'owner-missing',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'an Agent with no owner: every agent needs an accountable human or group',
  docs: 'Every agent needs an accountable human or group. An Agent without `owners` (or with an empty list) is reported on its `owners` key, or at the top of the resource. The quick fix adds an owner from the users and groups known to the workspace or the connected endpoint.',
  example: {
    bad: 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot',
    good: 'schemas: [urn:ietf:params:scim:schemas:core:2.0:Agent]\nname: bot\nowners: [{value: user:alice}]',
  },
  fixes: ['add-owners'],
  check(bound, report) {
    if (bound.resourceType?.name !== 'Agent') return;
    const owners = attr(bound, 'owners');
    if (owners && isAssigned(bound.normalized.owners)) return;
    report(
      owners ? owners.entry.keySpan : resourceAnchor(bound),
      'This agent has no owner. Every agent needs an accountable user or group, e.g. owners: [{value: "user:alice@example.com"}].',
      { hasOwnersKey: Boolean(owners) },
    );
  },
};
