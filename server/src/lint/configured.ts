/**
 * Lint under project configuration: each manifest gets the policies, profile and severities of
 * its own .scim-agents.yaml (see server/src/config). One run covers the workspace so cross-file
 * rules still see every file; severities are applied per file afterwards, and a rule is skipped
 * altogether only when every file's configuration turns it off.
 */
import type { EffectiveConfig } from '../config/types';
import { applySeverities } from '../config/resolve';
import { RULE_CODES } from '../rules/registry';
import type { Finding, SeveritySetting } from '../rules/types';
import type { WorkspaceIndex } from '../workspace/index';
import { lintWorkspace, type LintOptions } from './linter';

export function lintConfigured(
  index: WorkspaceIndex,
  configFor: (uri: string) => EffectiveConfig,
  options: Omit<LintOptions, 'rules' | 'policies'> = {},
  only?: ReadonlySet<string>,
): Map<string, Finding[]> {
  const uris = index.uris().filter((u) => !only || only.has(u));
  const configs = new Map(uris.map((u) => [u, configFor(u)]));
  const offEverywhere: Record<string, SeveritySetting> = {};
  for (const code of RULE_CODES) {
    if (uris.length > 0 && uris.every((u) => configs.get(u)!.rules[code] === 'off')) offEverywhere[code] = 'off';
  }
  const results = lintWorkspace(index, { ...options, rules: offEverywhere, policies: (uri) => (configs.get(uri) ?? configFor(uri)).policies }, only);
  const out = new Map<string, Finding[]>();
  for (const [uri, findings] of results) out.set(uri, applySeverities(findings, configs.get(uri)?.rules ?? {}));
  return out;
}
