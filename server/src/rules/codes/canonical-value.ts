import type { ResourceRule } from '../types';

export const canonicalValue: ResourceRule = {
  code: 'canonical-value',
  scope: 'resource',
  defaultSeverity: 'warning',
  title: 'a value outside canonicalValues (they are not exhaustive)',
  docs: "A value outside the attribute's canonicalValues. Canonical values are not exhaustive (RFC 7643 §2.3.1), so this is a warning; when the value differs from a canonical one only in case, the quick fix writes the canonical spelling.",
  example: { bad: 'protocols: [{type: SOAP}]', good: 'protocols: [{type: A2A}]' },
  fixes: ['fix-canonical-value'],
  check(bound, report) {
    for (const a of bound.attributes) {
      const allowed = a.def?.canonicalValues;
      if (!allowed || allowed.length === 0) continue;
      const node = a.entry.value;
      const scalars = node.kind === 'seq' ? node.items : [node];
      for (const s of scalars) {
        if (s.kind !== 'scalar' || typeof s.value !== 'string') continue;
        if (allowed.includes(s.value)) continue;
        const sameIgnoringCase = allowed.find((v) => v.toLowerCase() === s.value!.toString().toLowerCase());
        const name = a.parent?.canonicalName ? `${a.parent.canonicalName}.${a.canonicalName}` : a.canonicalName;
        report(
          s.span,
          sameIgnoringCase
            ? `"${s.value}" is written "${sameIgnoringCase}" in the schema's canonical values for "${name}".`
            : `"${s.value}" is not one of the canonical values of "${name}" (${allowed.join(', ')}); servers may not recognise it.`,
          { attribute: name, allowed, ...(sameIgnoringCase ? { suggestion: sameIgnoringCase } : {}) },
        );
      }
    }
  },
};
