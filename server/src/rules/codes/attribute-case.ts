import type { ResourceRule } from '../types';

export const attributeCase: ResourceRule = {
  code: 'attribute-case',
  scope: 'resource',
  defaultSeverity: 'warning',
  title: 'an attribute name (or schema URN) in non-canonical case or a known misspelling',
  docs: "SCIM attribute names are case-insensitive on the wire, but manifests are compared and diffed by name: write them in canonical case. Also flags the draft's `specifiationUrl` misspelling. The quick fix rewrites the key.",
  example: { bad: 'DisplayName: Bot', good: 'displayName: Bot' },
  fixes: ['fix-case'],
  check(bound, report) {
    const duplicates = new Set(bound.duplicates.map((d) => d.entry));
    for (const a of bound.attributes) {
      // A second key for the same attribute is duplicate-attribute's: one finding, not two.
      if (!a.canonicalName || duplicates.has(a.entry)) continue;
      const canonical = a.qualifier ? `${a.qualifier.urn}:${a.canonicalName}` : a.canonicalName;
      if (a.entry.key === canonical) continue;
      const message = a.viaAlias
        ? `"${a.entry.key}" is accepted as a misspelling of "${canonical}"; write "${canonical}".`
        : `SCIM attribute names are case-insensitive, but the canonical spelling is "${canonical}".`;
      report(a.entry.keySpan, message, { canonical, written: a.entry.key });
    }
    for (const s of bound.declaredSchemas) {
      if (s.canonical && s.canonical !== s.written) {
        report(s.span, `Schema URNs should be written exactly: "${s.canonical}".`, { canonical: s.canonical, written: s.written });
      }
    }
  },
};
