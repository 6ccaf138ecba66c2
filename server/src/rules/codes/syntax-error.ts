import type { FileRule } from '../types';

/** Quoted source longer than this is cut in messages. */
const MAX_QUOTED = 16;

/**
 * The YAML parser quotes the offending token's source in some messages, and a token can be the
 * rest of the file: a message thousands of characters long, echoing whatever secrets follow.
 * The span already points at the token, so a short prefix is enough to recognise it.
 */
export function shortenSyntaxMessage(message: string): string {
  const cut = message.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) =>
    inner.length > MAX_QUOTED ? `"${inner.slice(0, 12).replace(/\\$/, '')}…"` : whole,
  );
  return cut.length > 300 ? `${cut.slice(0, 299)}…` : cut;
}

export const syntaxError: FileRule = {
  code: 'syntax-error',
  scope: 'file',
  defaultSeverity: 'error',
  title: 'YAML or JSON that does not parse',
  docs: 'The file is not valid YAML or JSON (or not UTF-8, or an alias expands beyond the limit), so nothing in the part that does not parse can be checked. The finding sits on the line where the parser gave up and runs to the end of that line. Fix the line; the other documents of a multi-document file are still checked.',
  example: { bad: 'name: [unclosed', good: 'name: bot' },
  fixes: [],
  check(manifest, report) {
    for (const problem of manifest.syntaxErrors) report(problem.span, shortenSyntaxMessage(problem.message));
  },
};
