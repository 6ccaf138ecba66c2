import type { ResourceRule } from '../types';
import { subValue, valuesOf } from '../../model/values';

export const policyProtocolTypes: ResourceRule = {
  code: 'policy-protocol-types',
  scope: 'resource',
  contextual: { policy: 'allowedProtocolTypes' }, // reads this policy of the manifest's .scim-agents.yaml
  defaultSeverity: 'error',
  title: 'policy (allowedProtocolTypes): a protocol type the organisation does not allow',
  docs: 'Set by `policies.allowedProtocolTypes` in `.scim-agents.yaml`: a `protocols[].type` outside the allowed list. Silent unless the policy is set.',
  example: { bad: 'policies: { allowedProtocolTypes: [A2A, MCP] }  # and protocols: [{type: OpenAPI}]', good: 'protocols: [{type: A2A}]' },
  fixes: [],
  check(bound, report, ctx) {
    const allowed = ctx.policies?.(bound.uri)?.allowedProtocolTypes;
    if (!allowed || bound.resourceType?.name !== 'Agent') return;
    const set = new Set(allowed.map((t) => t.toLowerCase()));
    for (const item of valuesOf(bound, 'protocols')) {
      const type = subValue(bound, item, 'type');
      if (!type || typeof type.value !== 'string' || set.has(type.value.toLowerCase())) continue;
      report(type.span, `Protocol type "${type.value}" is not allowed by the organisation's policy (allowed: ${allowed.join(', ')}).`, { allowed });
    }
  },
};
