/**
 * What is derived from the rule declarations for people and tools: the help page of each rule
 * (docs/rules/<code>.md, shipped with the extension), the `SCIMAgents.rules` setting's schema in
 * package.json and the README catalogue's expected rows. The build writes the first two
 * (esbuild.mjs); a unit test checks that the committed files still match.
 */
import type { RuleDeclaration, SeveritySetting } from './types';

/** Where the help pages live, relative to the package root. */
export const RULE_DOCS_DIR = 'docs/rules';
const SETTING_VALUES: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];
const SETTING_VALUE_DESCRIPTIONS = ['Not reported.', 'Reported as information.', 'Reported as a warning.', 'Reported as an error.'];

export function rulePagePath(code: string): string {
  return `${RULE_DOCS_DIR}/${code}.md`;
}

/** A title as a sentence: capitalised, with a full stop. */
export function sentence(text: string): string {
  const t = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** The rule's help page, in Markdown. */
export function rulePage(rule: RuleDeclaration): string {
  const out = [
    `# \`${rule.code}\``,
    '',
    sentence(rule.title),
    '',
    `Default severity: **${rule.defaultSeverity}**.${rule.fixes.length ? ' The editor offers a quick fix.' : ''}`,
    '',
    rule.docs,
  ];
  if (rule.example) {
    out.push('', '## Example', '', 'Reported:', '', '```yaml', rule.example.bad, '```', '', 'Not reported:', '', '```yaml', rule.example.good, '```');
  }
  out.push(
    '',
    '## Severity',
    '',
    `In VS Code, set \`"SCIMAgents.rules": { "${rule.code}": "warning" }\` (or \`off\`, \`info\`, \`error\`); on the command line, \`scim-agents lint --rule ${rule.code}=warning\`.`,
    '',
  );
  return out.join('\n');
}

/** The `SCIMAgents.rules` contribution: one described, enumerated property per rule. */
export function ruleSettingSchema(rules: readonly RuleDeclaration[]): Record<string, unknown> {
  return {
    type: 'object',
    default: {},
    scope: 'resource',
    properties: Object.fromEntries(
      rules.map((r) => [
        r.code,
        {
          type: 'string',
          enum: SETTING_VALUES,
          enumDescriptions: SETTING_VALUE_DESCRIPTIONS,
          markdownDescription: `${sentence(r.title)} Default: \`${r.defaultSeverity}\`.`,
        },
      ]),
    ),
    additionalProperties: false,
    markdownDescription:
      'Severity per rule code, overriding the rule\'s default, e.g. `{ "owner-missing": "warning", "attribute-case": "off" }`. Each rule\'s help page opens from the code link of its diagnostics.',
  };
}
