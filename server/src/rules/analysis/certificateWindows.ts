import { parseCertificate } from '../../model/certificates';
import type { BoundResource } from '../../model/bind';
import type { Span } from '../../manifest/text';
import { attr, subValue, valuesOf } from '../../model/values';

export interface CertificateWindow {
  span: Span;
  /** The subject on one line, to name the certificate in a message. */
  who: string;
  validFrom: Date;
  validTo: Date;
  data: { validFrom: string; validTo: string; index: number };
}

/**
 * The validity window of each certificate that parses (certificate-invalid reports the others),
 * shared by certificate-expired and certificate-expiring so both judge the same dates.
 */
export function certificateWindows(bound: BoundResource): CertificateWindow[] {
  const out: CertificateWindow[] = [];
  for (const item of valuesOf(bound, 'x509Certificates')) {
    const v = subValue(bound, item, 'value');
    if (!v || typeof v.value !== 'string') continue;
    const parsed = parseCertificate(v.value);
    if (!parsed.ok) continue;
    const { validFrom, validTo, subject } = parsed.info;
    out.push({
      span: v.span,
      who: subject.replace(/\n/g, ', '),
      validFrom,
      validTo,
      data: { validFrom: validFrom.toISOString(), validTo: validTo.toISOString(), index: item.index },
    });
  }
  return out;
}

/**
 * Whether a binding has any certificate for certificateWindows to read: false is the rules'
 * `appliesTo` (no certificate, nothing to judge against the time, whatever the time).
 */
export function hasCertificates(bound: BoundResource): boolean {
  // certificateWindows reads valuesOf(bound, 'x509Certificates'), which is empty without the attribute.
  return attr(bound, 'x509Certificates') !== undefined;
}
