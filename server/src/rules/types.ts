import type { ManifestResource, ParsedManifest } from '../manifest/model';
import type { Span } from '../manifest/text';
import type { BoundResource } from './analysis/bind';
import type { Workspace } from '../workspace/index';

export type Severity = 'error' | 'warning' | 'info';
/** What a user may set a rule to. */
export type SeveritySetting = Severity | 'off';

/** One diagnostic, in offsets; adapters turn spans into their own line/column form. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  uri: string;
  span: Span;
  /** Structured facts quick fixes read (never free text to parse). */
  data?: Record<string, unknown>;
}

export type Report = (span: Span, message: string, data?: Record<string, unknown>) => void;
export type ReportIn = (uri: string, span: Span, message: string, data?: Record<string, unknown>) => void;

interface RuleBase {
  code: string;
  defaultSeverity: Severity;
  /** One line for the rule catalogue. */
  title: string;
  /** Whether a quick fix exists for it. */
  fixable: boolean;
}

/** Looks at one resource at a time; most rules are this kind. */
export interface ResourceRule extends RuleBase {
  scope: 'resource';
  /**
   * Whether findings depend on the run's context (the time, the directory) as well as on the
   * resource. Other resource rules' findings are cached per binding and not recomputed.
   */
  contextual?: boolean;
  check(resource: BoundResource, report: Report, ctx: RuleContext): void;
}

/**
 * Looks across every manifest of the workspace (duplicates, references, shared credentials).
 * Reports only on the resources `workspace` gives it (all, or a scoped view's files) and reads
 * every other resource through the workspace's lookups, never by scanning.
 */
export interface WorkspaceRule extends RuleBase {
  scope: 'workspace';
  check(workspace: Workspace, report: ReportIn, ctx: RuleContext): void;
}

/** Reports on the file as a whole (syntax). */
export interface FileRule extends RuleBase {
  scope: 'file';
  check(manifest: ParsedManifest, report: Report, ctx: RuleContext): void;
}

export type Rule = ResourceRule | WorkspaceRule | FileRule;

export interface RuleContext {
  /** "Now", injectable so certificate validity is testable. */
  now: Date;
  /** Users and groups known to a connected SCIM endpoint, when there is one. */
  directory?: Directory;
}

/** What a server told us about owners; absent when no endpoint is connected. */
export interface Directory {
  users: Map<string, DirectoryEntry>;
  groups: Map<string, DirectoryEntry>;
}

export interface DirectoryEntry {
  id: string;
  /** userName for users, displayName for groups. */
  key: string;
  active: boolean;
  /** Groups only. */
  memberCount?: number;
}

export type { ManifestResource };
