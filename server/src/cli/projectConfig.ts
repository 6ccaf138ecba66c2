/**
 * The CLI's side of .scim-agents.yaml: `--config FILE` or the nearest file above each manifest,
 * with the command's flags on top (precedence: flags > nearest config > defaults), and the
 * configuration files' own problems as findings with locations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigResolver } from '../config/discover';
import type { Flags } from '../config/resolve';
import { CONFIG_PROBLEM_CODE, type EffectiveConfig } from '../config/types';
import { LineIndex } from '../manifest/text';
import { RULE_CODES } from '../rules/registry';
import { relativeTo, UsageError } from './files';
import { locate, type LocatedFinding } from './format/located';

export interface CliConfig {
  resolver: ConfigResolver;
  /** The effective configuration of a manifest by its uri (files given to `track`). */
  forUri: (uri: string) => EffectiveConfig;
  track: (uri: string, file: string) => void;
  /** Problems of every configuration file that applied. */
  problems: (cwd: string) => LocatedFinding[];
}

export function cliConfig(explicit: string | undefined, cwd: string, flags: Flags): CliConfig {
  let file: string | undefined;
  if (explicit !== undefined) {
    file = path.resolve(cwd, explicit);
    if (!fs.existsSync(file)) throw new UsageError(`--config ${explicit}: no such file.`);
  }
  const resolver = new ConfigResolver({ knownCodes: RULE_CODES, flags, ...(file ? { explicit: file } : {}) });
  const paths = new Map<string, string>();
  const cache = new Map<string, EffectiveConfig>();
  const forUri = (uri: string): EffectiveConfig => {
    let c = cache.get(uri);
    if (!c) {
      const p = paths.get(uri);
      c = p ? resolver.effective(p) : { profile: flags.profile ?? 'auto', rules: { ...flags.rules }, policies: {} };
      cache.set(uri, c);
    }
    return c;
  };
  return {
    resolver,
    forUri,
    track: (uri, p) => paths.set(uri, p),
    problems: (dir) =>
      resolver.loaded().flatMap((loaded) => {
        const lines = new LineIndex(loaded.text);
        const name = relativeTo(dir, loaded.path);
        return loaded.problems.map((p) =>
          locate(name, lines, { code: CONFIG_PROBLEM_CODE, severity: p.severity, message: p.message, uri: loaded.path, span: p.span }),
        );
      }),
  };
}
