import { schemaProblems } from '../analysis/schemaCheck';
import type { ResourceRule } from '../types';

export const requiredMissing: ResourceRule = {
  code: 'required-missing',
  scope: 'resource',
  defaultSeverity: 'error',
  title: 'a required attribute absent (`name` for an abbey Agent)',
  fixable: true,
  check(bound, report) {
    for (const p of schemaProblems(bound)) if (p.kind === 'required') report(p.span, p.message, p.data);
  },
};
