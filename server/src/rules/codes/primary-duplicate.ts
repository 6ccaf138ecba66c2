import type { ResourceRule } from '../types';

export const primaryDuplicate: ResourceRule = {
  code: 'primary-duplicate',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'more than one `primary: true` in a multi-valued attribute',
  fixable: false,
  check(bound, report) {
    for (const a of bound.attributes) {
      if (!a.def?.multiValued || a.def.type !== 'complex' || !a.canonicalName) continue;
      const values = bound.nodes.get(a.pointer);
      if (!values || values.kind !== 'seq') continue;
      let seen = 0;
      values.items.forEach((_, i) => {
        const primary = bound.nodes.get(`${a.pointer}/${i}/primary`);
        if (primary?.kind === 'scalar' && primary.value === true) {
          seen++;
          if (seen > 1) report(primary.span, `Only one value of "${a.canonicalName}" may be primary (RFC 7643 §2.4).`, { attribute: a.canonicalName });
        }
      });
    }
  },
};
