import type { ResourceRule } from '../types';
import { isAssigned } from '../../model/values';
import { resourceAnchor } from '../../workspace/keys';

export const policyRequiredAttributes: ResourceRule = {
  code: 'policy-required-attributes',
  scope: 'resource',
  contextual: { policy: 'requiredAttributes' }, // reads this policy of the manifest's .scim-agents.yaml
  defaultSeverity: 'error',
  title: 'policy (requiredAttributes): an attribute the organisation requires for this resource type is missing',
  docs: 'Set by `policies.requiredAttributes` in `.scim-agents.yaml` (per resource type): an attribute the organisation requires is missing. Silent unless the policy is set.',
  example: { bad: 'policies: { requiredAttributes: { Agent: [description] } }  # and no description', good: 'description: Triage of support tickets' },
  fixes: [],
  check(bound, report, ctx) {
    const type = bound.resourceType?.name;
    const required = type ? ctx.policies?.(bound.uri)?.requiredAttributes?.[type] : undefined;
    if (!required) return;
    for (const name of required) {
      if (present(bound.normalized, name)) continue;
      report(resourceAnchor(bound), `The organisation's policy requires "${name}" on every ${type}.`, { attribute: name });
    }
  },
};

/** `a` assigned, or for `a.b`: a is assigned and b is assigned in it (in every element of a multi-valued a). */
function present(resource: Record<string, unknown>, name: string): boolean {
  const [head, sub] = name.split('.');
  const key = Object.keys(resource).find((k) => k.toLowerCase() === head!.toLowerCase());
  const value = key === undefined ? undefined : resource[key];
  if (!isAssigned(value)) return false;
  if (sub === undefined) return true;
  const elements = Array.isArray(value) ? value : [value];
  return elements.every((e) => {
    if (!e || typeof e !== 'object') return false;
    const k = Object.keys(e).find((x) => x.toLowerCase() === sub.toLowerCase());
    return k !== undefined && isAssigned((e as Record<string, unknown>)[k]);
  });
}
