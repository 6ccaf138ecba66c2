import type { ResourceRule } from '../types';
import { certificateWindows, hasCertificates } from '../analysis/certificateWindows';

const DAY = 24 * 60 * 60 * 1000;
export const EXPIRY_WARNING_DAYS = 30;

/** Its own code (not a warning-level certificate-expired) so its severity can be set apart. */
export const certificateExpiring: ResourceRule = {
  code: 'certificate-expiring',
  scope: 'resource',
  contextual: true, // judged against ctx.now
  appliesTo: hasCertificates, // the time matters through certificates only
  defaultSeverity: 'warning',
  title: `a certificate that is valid today but expires within ${EXPIRY_WARNING_DAYS} days`,
  docs: `A certificate that is valid today but expires within ${EXPIRY_WARNING_DAYS} days. It has a code of its own, a warning by default, so that it can be set to \`error\` (or \`off\`) apart from \`certificate-expired\`. Plan the renewal.`,
  example: { bad: '# a certificate that expires in 10 days', good: `# a certificate valid for more than ${EXPIRY_WARNING_DAYS} days` },
  fixes: [],
  check(bound, report, ctx) {
    const now = ctx.now.getTime();
    for (const c of certificateWindows(bound)) {
      const left = c.validTo.getTime() - now;
      if (c.validFrom.getTime() > now || left < 0 || left >= EXPIRY_WARNING_DAYS * DAY) continue;
      const days = Math.ceil(left / DAY);
      report(c.span, `Certificate (${c.who}) expires in ${days} day${days === 1 ? '' : 's'}, on ${c.validTo.toISOString().slice(0, 10)}.`, c.data);
    }
  },
};
