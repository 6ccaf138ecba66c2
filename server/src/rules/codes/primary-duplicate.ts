import type { MapEntry } from '../../manifest/model';
import type { ResourceRule } from '../types';

const isPrimaryKey = (e: MapEntry) => e.key.length === 7 && e.key.toLowerCase() === 'primary';

export const primaryDuplicate: ResourceRule = {
  code: 'primary-duplicate',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'more than one `primary: true` in a multi-valued attribute',
  docs: 'In a multi-valued attribute at most one value may carry `primary: true` (RFC 7643 §2.4). Keep the flag on one value.',
  example: {
    bad: 'emails:\n  - {value: a@example.com, primary: true}\n  - {value: b@example.com, primary: true}',
    good: 'emails:\n  - {value: a@example.com, primary: true}\n  - {value: b@example.com}',
  },
  fixes: [],
  check(bound, report) {
    for (const a of bound.attributes) {
      if (!a.def?.multiValued || a.def.type !== 'complex' || !a.canonicalName) continue;
      const values = bound.nodes.get(a.pointer);
      if (!values || values.kind !== 'seq') continue;
      let seen = 0;
      for (let i = 0; i < values.items.length; i++) {
        // Looked up by pointer only where the value writes a `primary` (a pointer is a new string).
        const item = values.items[i]!;
        if (item.kind !== 'map' || !item.entries.some(isPrimaryKey)) continue;
        const primary = bound.nodes.get(`${a.pointer}/${i}/primary`);
        if (primary?.kind === 'scalar' && primary.value === true) {
          seen++;
          if (seen > 1) report(primary.span, `Only one value of "${a.canonicalName}" may be primary (RFC 7643 §2.4).`, { attribute: a.canonicalName });
        }
      }
    }
  },
};
