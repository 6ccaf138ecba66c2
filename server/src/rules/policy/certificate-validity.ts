import { parseCertificate } from '../../model/certificates';
import type { ResourceRule } from '../types';
import { subValue, valuesOf } from '../../model/values';

const DAY = 24 * 60 * 60 * 1000;

export const policyCertificateValidity: ResourceRule = {
  code: 'policy-certificate-validity',
  scope: 'resource',
  contextual: { policy: 'maxCertificateValidityDays' }, // reads this policy of the manifest's .scim-agents.yaml
  defaultSeverity: 'error',
  title: 'policy (maxCertificateValidityDays): a certificate valid for longer than the organisation allows',
  docs: 'Set by `policies.maxCertificateValidityDays` in `.scim-agents.yaml`: a certificate in `x509Certificates` whose validity window (notBefore to notAfter) is longer than that many days. Silent unless the policy is set.',
  example: { bad: 'policies: { maxCertificateValidityDays: 90 }  # and a 1-year certificate', good: 'a certificate valid for 90 days or less' },
  fixes: [],
  check(bound, report, ctx) {
    const max = ctx.policies?.(bound.uri)?.maxCertificateValidityDays;
    if (max === undefined) return;
    for (const item of valuesOf(bound, 'x509Certificates')) {
      const v = subValue(bound, item, 'value');
      if (!v || typeof v.value !== 'string') continue;
      const parsed = parseCertificate(v.value);
      if (!parsed.ok) continue; // certificate-invalid reports it
      const days = Math.ceil((parsed.info.validTo.getTime() - parsed.info.validFrom.getTime()) / DAY);
      if (days <= max) continue;
      report(v.span, `This certificate is valid for ${days} days; the organisation's policy allows at most ${max}.`, { days, max, index: item.index });
    }
  },
};
