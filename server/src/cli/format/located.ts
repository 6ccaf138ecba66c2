import type { Finding } from '../../rules/types';
import type { LineIndex } from '../../manifest/text';

/** A finding with 1-based line/column positions, the form every CLI output uses. */
export interface LocatedFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  code: string;
  message: string;
}

export function locate(file: string, lines: LineIndex, f: Finding): LocatedFinding {
  const start = lines.positionAt(f.span.start);
  const end = lines.positionAt(f.span.end);
  return {
    file,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: f.severity,
    code: f.code,
    message: f.message,
  };
}

export interface Summary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function summarize(findings: readonly LocatedFinding[], files: number): Summary {
  return {
    files,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}
