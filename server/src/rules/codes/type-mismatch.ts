import { schemaProblems } from '../analysis/schemaCheck';
import type { ResourceRule } from '../types';

/** Certificate values get certificate-invalid's more precise message instead. */
const REPORTED_ELSEWHERE = new Set(['x509Certificates.value']);

export const typeMismatch: ResourceRule = {
  code: 'type-mismatch',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'a value of the wrong SCIM type',
  docs: 'A value of the wrong SCIM type (RFC 7643 §2.3): a string where a boolean is expected, a single value where the attribute is multi-valued, and so on. YAML reads `yes` and `"true"` as strings: write `true`.',
  example: { bad: 'active: "yes"', good: 'active: true' },
  fixes: [],
  check(bound, report) {
    for (const p of schemaProblems(bound)) {
      if (p.kind !== 'type' || REPORTED_ELSEWHERE.has(String(p.data.attribute))) continue;
      report(p.span, p.message, p.data);
    }
  },
};
