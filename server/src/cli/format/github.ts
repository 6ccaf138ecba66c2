import { printable } from './escape';
import type { LocatedFinding } from './located';

/** GitHub Actions workflow commands: one annotation per finding. */
export function formatGithub(findings: readonly LocatedFinding[]): string {
  return findings
    .map((f) => {
      const level = f.severity === 'info' ? 'notice' : f.severity;
      const props = [
        `file=${property(f.file)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        `endColumn=${f.endColumn}`,
        `title=${property(`scim-agents ${f.code}`)}`,
      ].join(',');
      return `::${level} ${props}::${data(f.message)}\n`;
    })
    .join('');
}

/**
 * A workflow command's message, encoded as the runner decodes it ('%' → %25, CR → %0D, LF →
 * %0A), so no message can end the command and start another line; other control characters
 * (ESC…) are shown escaped rather than sent to the log.
 */
function data(s: string): string {
  return printable(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

function property(s: string): string {
  return data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
