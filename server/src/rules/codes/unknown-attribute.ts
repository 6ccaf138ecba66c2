import { schemaProblems } from '../analysis/schemaCheck';
import type { ResourceRule } from '../types';

export const unknownAttribute: ResourceRule = {
  code: 'unknown-attribute',
  scope: 'resource',
  defaultSeverity: 'error',
  title: "an attribute the resource's schemas do not define",
  fixable: true,
  check(bound, report) {
    for (const p of schemaProblems(bound)) if (p.kind === 'unknown') report(p.span, p.message, p.data);
  },
};
