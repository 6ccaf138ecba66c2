import type { ResourceRule } from '../types';
import { attr } from '../../model/values';
import { resourceAnchor } from '../../workspace/keys';

export const policyMinOwners: ResourceRule = {
  code: 'policy-min-owners',
  scope: 'resource',
  contextual: { policy: 'minOwners' }, // reads this policy of the manifest's .scim-agents.yaml
  defaultSeverity: 'error',
  title: 'policy (minOwners): an Agent with fewer owners than the organisation requires',
  docs: 'Set by `policies.minOwners` in `.scim-agents.yaml` (Okta recommends at least two owners; Entra requires a sponsor): an Agent with fewer owners than that. Silent unless the policy is set.',
  example: { bad: 'policies: { minOwners: 2 }  # and owners: [{value: user:alice}]', good: 'owners: [{value: user:alice}, {value: group:AI Platform Team}]' },
  fixes: [],
  check(bound, report, ctx) {
    const min = ctx.policies?.(bound.uri)?.minOwners;
    if (min === undefined || bound.resourceType?.name !== 'Agent') return;
    const owners = bound.normalized.owners;
    const count = Array.isArray(owners)
      ? owners.filter((o) => o && typeof o === 'object' && typeof (o as { value?: unknown }).value === 'string' && (o as { value: string }).value.trim() !== '')
          .length
      : 0;
    if (count >= min) return;
    const at = attr(bound, 'owners');
    report(at ? at.entry.keySpan : resourceAnchor(bound), `The organisation's policy requires at least ${min} owners per agent; this one has ${count}.`, {
      required: min,
      actual: count,
    });
  },
};
