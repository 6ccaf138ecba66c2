import { parseCertificate } from '../../model/certificates';
import type { ResourceRule } from '../types';
import { subValue, valuesOf } from '../../model/values';

export const certificateInvalid: ResourceRule = {
  code: 'certificate-invalid',
  scope: 'resource',
  defaultSeverity: 'error',
  title: '`x509Certificates[].value` that is not base64 DER of an X.509 certificate',
  docs: '`x509Certificates[].value` must be the base64 DER encoding of an X.509 certificate (no PEM header, no line breaks needed). The value does not decode to a certificate.',
  example: { bad: 'x509Certificates: [{value: TUlJQ2FuZ2Fy}]', good: 'x509Certificates: [{value: MIIBszCCAVmgAwIBAgIU…}]' },
  fixes: [],
  check(bound, report) {
    for (const item of valuesOf(bound, 'x509Certificates')) {
      const v = subValue(bound, item, 'value');
      if (!v || typeof v.value !== 'string') continue;
      const parsed = parseCertificate(v.value);
      if (!parsed.ok) report(v.span, `Not a usable certificate: ${parsed.reason}.`, { index: item.index });
    }
  },
};
