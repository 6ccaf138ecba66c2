/**
 * The project configuration file `.scim-agents.yaml` (schemas/config.schema.json): the profile,
 * rule severities, overrides by file glob, the organisation's policies and the baseline.
 * Declarative only: nothing in it is ever executed, so it is safe in an untrusted folder.
 */
export type ConfigSeverity = 'off' | 'info' | 'warning' | 'error';
export type ConfigProfile = 'abbey-00' | 'wzdk-00' | 'server' | 'auto';

/** The organisation's checks; each is a rule with its own `policy-*` code. */
export interface Policies {
  /** policy-min-owners */
  minOwners?: number;
  /** policy-subject-pattern: a restricted glob (see wildcard.ts), never a regular expression. */
  subjectPattern?: string;
  /** policy-certificate-validity */
  maxCertificateValidityDays?: number;
  /** policy-https-urls */
  requireHttps?: boolean;
  /** policy-protocol-types */
  allowedProtocolTypes?: string[];
  /** policy-required-attributes: resource type → attribute names (`a` or `a.b`). */
  requiredAttributes?: Record<string, string[]>;
}

export interface ConfigOverride {
  files: string[];
  profile?: ConfigProfile;
  rules?: Record<string, ConfigSeverity>;
  policies?: Policies;
}

export interface ProjectConfig {
  profile?: ConfigProfile;
  rules?: Record<string, ConfigSeverity>;
  policies?: Policies;
  overrides?: ConfigOverride[];
  /** As written: relative to the config file's folder. */
  baseline?: string;
}

export interface Span {
  start: number;
  end: number;
}

/** A problem of the configuration file itself, with where it is. */
export interface ConfigProblem {
  severity: 'error' | 'warning';
  message: string;
  span: Span;
}

/** A configuration file read and checked: the well-formed parts only, and what was wrong. */
export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  text: string;
  config: ProjectConfig;
  problems: ConfigProblem[];
}

/** What applies to one manifest after precedence (flags > nearest config and its overrides > defaults). */
export interface EffectiveConfig {
  profile: ConfigProfile;
  rules: Record<string, ConfigSeverity>;
  policies: Policies;
  /** The configuration file that applied, if any. */
  source?: string;
  /** Absolute path of the baseline the file names, if any. */
  baseline?: string;
}

export const CONFIG_FILE_NAME = '.scim-agents.yaml';
/** Configuration files as a glob, for file watchers and document selectors (the server's and the VS Code client's). */
export const CONFIG_GLOB = `**/${CONFIG_FILE_NAME}`;
/** Policy codes: a public contract, like rule codes. */
export const POLICY_CODES = [
  'policy-min-owners',
  'policy-subject-pattern',
  'policy-certificate-validity',
  'policy-https-urls',
  'policy-protocol-types',
  'policy-required-attributes',
] as const;
/** The code of a problem in the configuration file itself. */
export const CONFIG_PROBLEM_CODE = 'config-invalid';
