import type { ResourceRule } from '../types';

/**
 * One attribute given twice in one object under different keys: another case (`name`, `Name`:
 * SCIM names are case-insensitive, RFC 7643 §2.1), a known misspelling, or the URN-qualified
 * notation. Exact duplicate keys are already a syntax error; this is their case-insensitive twin.
 * Reported on the second key; when the values differ neither is used (see bind.ts).
 */
export const duplicateAttribute: ResourceRule = {
  code: 'duplicate-attribute',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'the same attribute twice in one object, under keys that differ only in case, alias or URN prefix',
  docs: 'SCIM attribute names are case-insensitive (RFC 7643 §2.1), so `name` and `Name`, a known misspelling and its correct form, or `displayName` and its URN-qualified form `urn:…:Agent:displayName` are one attribute. Giving it twice is an error on the second key; when the two values differ neither is used, so neither the inventory nor the plan can silently pick one.',
  example: { bad: 'name: bot\nName: other-bot', good: 'name: bot' },
  fixes: [],
  namesLines: true, // "line N gives it"
  check(bound, report) {
    const lines = bound.manifest.lines;
    for (const d of bound.duplicates) {
      const line = lines.positionAt(d.first.keySpan.start).line + 1;
      const differ = bound.conflicted.has(d.pointer);
      report(
        d.entry.keySpan,
        `"${d.entry.key}" is "${d.name}" again (line ${line} gives it as "${d.first.key}"): SCIM attribute names are case-insensitive, so this is one attribute given twice. Keep one.` +
          (differ ? ' The two values differ, so neither is used.' : ''),
        { attribute: d.name, first: d.first.key, firstLine: line, conflicting: differ },
      );
    }
  },
};
