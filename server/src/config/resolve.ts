/**
 * Precedence, for one manifest: command-line flags (or set editor settings) > the nearest
 * configuration file's overrides whose glob matches (later entries win) > its top level >
 * defaults. Policies merge key by key the same way; `rules` severities code by code.
 */
import { boundedGlob } from '../util/glob';
import type { ConfigProfile, ConfigSeverity, EffectiveConfig, LoadedConfig, Policies } from './types';

export interface Flags {
  /** An explicitly chosen profile (a flag or a set editor setting); undefined: not chosen. */
  profile?: ConfigProfile;
  rules?: Record<string, ConfigSeverity>;
}

/**
 * The configuration that applies to a manifest at `relativePath` (POSIX, relative to the config
 * file's folder; undefined when the file is not below it). `config` undefined: defaults and flags.
 */
export function effectiveConfig(
  loaded: LoadedConfig | undefined,
  relativePath: string | undefined,
  flags: Flags = {},
  baselineOf?: (loaded: LoadedConfig, written: string) => string,
): EffectiveConfig {
  let profile: ConfigProfile = 'auto';
  let rules: Record<string, ConfigSeverity> = {};
  let policies: Policies = {};
  const config = loaded?.config;
  if (config) {
    if (config.profile) profile = config.profile;
    rules = { ...config.rules };
    policies = { ...config.policies };
    for (const o of config.overrides ?? []) {
      if (relativePath === undefined || !matches(o.files, relativePath)) continue;
      if (o.profile) profile = o.profile;
      rules = { ...rules, ...o.rules };
      policies = { ...policies, ...o.policies };
    }
  }
  if (flags.profile) profile = flags.profile;
  rules = { ...rules, ...flags.rules };
  const baseline = loaded && config?.baseline && baselineOf ? baselineOf(loaded, config.baseline) : undefined;
  return { profile, rules, policies, ...(loaded ? { source: loaded.path } : {}), ...(baseline ? { baseline } : {}) };
}

const compiled = new Map<string, (path: string) => boolean>();

function matches(files: string[] | string, relativePath: string): boolean {
  for (const glob of typeof files === 'string' ? [files] : files) {
    let test = compiled.get(glob);
    if (!test) {
      // A glob of an unbounded shape is reported by parse.ts (config-invalid) and matches nothing.
      test = boundedGlob(glob, { dot: true }) ?? (() => false);
      if (compiled.size > 1000) compiled.clear();
      compiled.set(glob, test);
    }
    if (test(relativePath)) return true;
  }
  return false;
}

/** Severity overrides applied to findings after a run: 'off' drops, a level replaces (what the linter does with a run-wide map). */
export function applySeverities<T extends { code: string; severity: string }>(findings: readonly T[], rules: Record<string, ConfigSeverity>): T[] {
  const out: T[] = [];
  for (const f of findings) {
    const s = rules[f.code];
    if (s === 'off') continue;
    out.push(s ? { ...f, severity: s } : f);
  }
  return out;
}
