/**
 * Text from manifests and servers, made safe to print: a control character (ESC, CR, LF, BEL,
 * DEL, C1) or a Unicode line/paragraph separator or bidirectional override is shown as a visible
 * escape, so nothing a file or a server says can move the cursor, clear a terminal, start a new
 * line of output (a forged `::error::` workflow command in CI) or reorder what is shown. In the
 * engine (not the CLI) because the plan, apply and inventory renderers print such text too.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(s: string): string {
  return s.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
