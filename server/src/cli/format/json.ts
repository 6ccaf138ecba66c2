import type { LocatedFinding } from './located';

export function formatJson(findings: readonly LocatedFinding[]): string {
  return JSON.stringify(findings, null, 2) + '\n';
}
