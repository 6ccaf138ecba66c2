import { printable } from './escape';
import type { LocatedFinding, Summary } from './located';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** file:line:col  severity  message  code — one per line (escaped: see escape.ts), then a summary. */
export function formatText(findings: readonly LocatedFinding[], summary: Summary, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const sev = (s: LocatedFinding['severity']) => (s === 'error' ? paint('31', 'error  ') : s === 'warning' ? paint('33', 'warning') : paint('36', 'info   '));
  const lines = findings.map((f) => `${printable(f.file)}:${f.line}:${f.column}  ${sev(f.severity)}  ${printable(f.message)}  ${paint('2', f.code)}`);
  const total = summary.errors + summary.warnings + summary.infos;
  const tail =
    total === 0
      ? `${plural(summary.files, 'file')} checked, no problems.`
      : `${plural(total, 'problem')} (${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}${summary.infos ? `, ${summary.infos} info` : ''}) in ${plural(summary.files, 'file')}.`;
  return [...lines, ...(lines.length ? [''] : []), tail, ''].join('\n');
}
