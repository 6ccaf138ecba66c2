import type { ResourceRule } from '../types';
import { attr, isAssigned, resourceAnchor } from '../util';

export const ownerMissing: ResourceRule = {
  code: 'owner-missing',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'an Agent with no owner: every agent needs an accountable human or group',
  fixable: true,
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
