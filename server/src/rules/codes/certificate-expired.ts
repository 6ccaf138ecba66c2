import { parseCertificate } from '../analysis/certificates';
import type { ResourceRule } from '../types';
import { subValue, valuesOf } from '../util';

const DAY = 24 * 60 * 60 * 1000;
export const EXPIRY_WARNING_DAYS = 30;

export const certificateExpired: ResourceRule = {
  code: 'certificate-expired',
  scope: 'resource',
  contextual: true, // validity is judged against ctx.now
  defaultSeverity: 'error',
  title: `a certificate outside its validity window (warning when it expires within ${EXPIRY_WARNING_DAYS} days)`,
  fixable: false,
  check(bound, report, ctx) {
    const now = ctx.now.getTime();
    for (const item of valuesOf(bound, 'x509Certificates')) {
      const v = subValue(bound, item, 'value');
      if (!v || typeof v.value !== 'string') continue;
      const parsed = parseCertificate(v.value);
      if (!parsed.ok) continue;
      const { validFrom, validTo, subject } = parsed.info;
      const who = subject.replace(/\n/g, ', ');
      const data = { validFrom: validFrom.toISOString(), validTo: validTo.toISOString(), index: item.index };
      if (validTo.getTime() < now) {
        report(v.span, `Certificate (${who}) expired on ${validTo.toISOString().slice(0, 10)}.`, data);
      } else if (validFrom.getTime() > now) {
        report(v.span, `Certificate (${who}) is not valid until ${validFrom.toISOString().slice(0, 10)}.`, data);
      } else if (validTo.getTime() - now < EXPIRY_WARNING_DAYS * DAY) {
        const days = Math.ceil((validTo.getTime() - now) / DAY);
        report(v.span, `Certificate (${who}) expires in ${days} day${days === 1 ? '' : 's'}, on ${validTo.toISOString().slice(0, 10)}.`, {
          ...data,
          severity: 'warning',
        });
      }
    }
  },
};
