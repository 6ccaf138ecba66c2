import type { ResourceRule } from '../types';

const INSECURE = /^http:\/\//i;

export const policyHttpsUrls: ResourceRule = {
  code: 'policy-https-urls',
  scope: 'resource',
  contextual: { policy: 'requireHttps' }, // reads this policy of the manifest's .scim-agents.yaml
  defaultSeverity: 'error',
  title: 'policy (requireHttps): a URL that is not https',
  docs: 'Set by `policies.requireHttps: true` in `.scim-agents.yaml`: a URL-valued attribute (for example `protocols[].specificationUrl`) that is not `https://`. Silent unless the policy is set.',
  example: { bad: 'specificationUrl: http://agents.example.com/card.json', good: 'specificationUrl: https://agents.example.com/card.json' },
  fixes: [],
  check(bound, report, ctx) {
    if (ctx.policies?.(bound.uri)?.requireHttps !== true) return;
    for (const node of bound.nodes.values()) {
      if (node.kind !== 'scalar' || typeof node.value !== 'string' || !INSECURE.test(node.value)) continue;
      report(node.span, "The organisation's policy requires https:// URLs; this one is http://.", {});
    }
  },
};
