import type { FileRule } from '../types';

export const syntaxError: FileRule = {
  code: 'syntax-error',
  scope: 'file',
  defaultSeverity: 'error',
  title: 'YAML or JSON that does not parse',
  fixable: false,
  check(manifest, report) {
    for (const problem of manifest.syntaxErrors) report(problem.span, problem.message);
  },
};
