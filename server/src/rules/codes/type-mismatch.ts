import { schemaProblems } from '../analysis/schemaCheck';
import type { ResourceRule } from '../types';

/** Certificate values get certificate-invalid's more precise message instead. */
const REPORTED_ELSEWHERE = new Set(['x509Certificates.value']);

export const typeMismatch: ResourceRule = {
  code: 'type-mismatch',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'a value of the wrong SCIM type',
  fixable: false,
  check(bound, report) {
    for (const p of schemaProblems(bound)) {
      if (p.kind !== 'type' || REPORTED_ELSEWHERE.has(String(p.data.attribute))) continue;
      report(p.span, p.message, p.data);
    }
  },
};
