import type { FileRule } from '../types';

/** Quoted source longer than this is cut in messages. */
const MAX_QUOTED = 16;

/**
 * The YAML parser quotes the offending token's source in some messages, and a token can be the
 * rest of the file: a message thousands of characters long, echoing whatever secrets follow.
 * The span already points at the token, so a short prefix is enough to recognise it.
 */
export function shortenSyntaxMessage(message: string): string {
  const cut = message.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) => (inner.length > MAX_QUOTED ? `"${inner.slice(0, 12).replace(/\\$/, '')}…"` : whole));
  return cut.length > 300 ? `${cut.slice(0, 299)}…` : cut;
}

export const syntaxError: FileRule = {
  code: 'syntax-error',
  scope: 'file',
  defaultSeverity: 'error',
  title: 'YAML or JSON that does not parse',
  fixable: false,
  check(manifest, report) {
    for (const problem of manifest.syntaxErrors) report(problem.span, shortenSyntaxMessage(problem.message));
  },
};
