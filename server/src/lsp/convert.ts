import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { LineIndex, Span } from '../manifest/text';
import type { Finding, Severity } from '../rules/types';
import { ruleHelpHref } from './ruleHelp';

export const DIAGNOSTIC_SOURCE = 'scim-agents';

export function spanToRange(lines: LineIndex, span: Span): Range {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function rangeToSpan(lines: LineIndex, range: Range): Span {
  return { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
}

export function toSeverity(s: Severity): DiagnosticSeverity {
  switch (s) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

export function toDiagnostic(lines: LineIndex, f: Finding): Diagnostic {
  const href = ruleHelpHref(f.code);
  return {
    range: spanToRange(lines, f.span),
    // A finding the project's baseline accepts is shown, lowered to a hint (lsp/baseline.ts).
    severity: f.data?.baselined === true ? DiagnosticSeverity.Hint : toSeverity(f.severity),
    source: DIAGNOSTIC_SOURCE,
    code: f.code,
    ...(href ? { codeDescription: { href } } : {}),
    message: f.message,
    ...(f.data ? { data: f.data } : {}),
  };
}

/** Whether two spans touch or overlap (an empty span touching the other counts). */
export function spansMeet(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}
