import { rulePage } from '../../rules/catalogue';
import { RULES } from '../../rules/registry';
import type { LocatedFinding } from './located';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * SARIF 2.1.0 as GitHub code scanning accepts it: paths relative to the checkout root. Each rule
 * carries its help page inline (`help.markdown`) rather than a `helpUri`: the project has no
 * public documentation site, and an address that does not answer is worse than none.
 */
export function formatSarif(findings: readonly LocatedFinding[], version: string): string {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'scim-agents',
            version,
            rules: RULES.map((r) => ({
              id: r.code,
              name: r.code.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.title },
              fullDescription: { text: r.docs },
              help: { text: r.docs, markdown: rulePage(r) },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory scim-agents ran in.' } } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ...(ruleIndex.has(f.code) ? { ruleIndex: ruleIndex.get(f.code) } : {}),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * A relative file path as a URI reference: each segment percent-encoded, so `#` and `?` in a
 * name stay part of the path (encodeURI would leave them to start a fragment or a query, and
 * code scanning would put the alert on another file).
 */
export function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}
