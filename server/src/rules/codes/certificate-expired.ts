import type { ResourceRule } from '../types';
import { certificateWindows, hasCertificates } from '../analysis/certificateWindows';

export const certificateExpired: ResourceRule = {
  code: 'certificate-expired',
  scope: 'resource',
  contextual: true, // validity is judged against ctx.now
  appliesTo: hasCertificates, // the time matters through certificates only
  defaultSeverity: 'error',
  title: 'a certificate outside its validity window (expired, or not valid yet)',
  docs: 'A certificate outside its validity window: expired, or not valid yet. The identity cannot authenticate with it. Renew the certificate. (A certificate that is still valid but expires soon is `certificate-expiring`.)',
  example: { bad: '# a certificate whose notAfter has passed', good: '# a certificate valid today' },
  fixes: [],
  check(bound, report, ctx) {
    const now = ctx.now.getTime();
    for (const c of certificateWindows(bound)) {
      if (c.validTo.getTime() < now) {
        report(c.span, `Certificate (${c.who}) expired on ${c.validTo.toISOString().slice(0, 10)}.`, c.data);
      } else if (c.validFrom.getTime() > now) {
        report(c.span, `Certificate (${c.who}) is not valid until ${c.validFrom.toISOString().slice(0, 10)}.`, c.data);
      }
    }
  },
};
