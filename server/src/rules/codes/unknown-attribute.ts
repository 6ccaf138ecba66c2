import { schemaProblems } from '../analysis/schemaCheck';
import type { ResourceRule } from '../types';

export const unknownAttribute: ResourceRule = {
  code: 'unknown-attribute',
  scope: 'resource',
  defaultSeverity: 'error',
  title: "an attribute the resource's schemas do not define",
  docs: "An attribute that none of the resource's schemas define. A server drops it or refuses the request. When a defined attribute has a close name, the message suggests it and the quick fix renames the key.",
  example: { bad: 'displayNam: Bot', good: 'displayName: Bot' },
  fixes: ['rename-unknown'],
  check(bound, report) {
    for (const p of schemaProblems(bound)) if (p.kind === 'unknown') report(p.span, p.message, p.data);
  },
};
