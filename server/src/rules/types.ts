import type { ManifestResource, ParsedManifest } from '../manifest/model';
import type { Span } from '../manifest/text';
import type { BoundResource } from '../model/bind';
import type { Workspace } from '../workspace/index';
import type { Policies } from '../config/types';

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

/**
 * The quick fixes an editor may offer, by name. The engine only names them; the LSP adapter maps
 * each name to the code that computes the edits (lsp/fixes), and a test checks both sides agree.
 */
export type FixName =
  'add-owners' | 'add-schemas' | 'fix-case' | 'rename-unknown' | 'fix-canonical-value' | 'remove-read-only' | 'add-subject' | 'replace-secret';

/**
 * Everything said about a rule, in one place (its file). The registry, the editor's fix lookup,
 * the `SCIMAgents.rules` settings in package.json, the pages under docs/rules/ and the SARIF
 * rule metadata are all derived from it.
 */
export interface RuleDeclaration {
  /** Stable, public: never rename one. */
  code: string;
  defaultSeverity: Severity;
  /** One line: what it flags (rule catalogue, settings UI, SARIF shortDescription). */
  title: string;
  /** Markdown: why it matters and what to do about it (the rule's help page). */
  docs: string;
  /** A YAML snippet that is flagged, and one that is not (help page). */
  example?: { bad: string; good: string };
  /** Quick fixes the editor offers for a finding of this rule (none: []). */
  fixes: readonly FixName[];
}

type RuleBase = RuleDeclaration;

/** Looks at one resource at a time; most rules are this kind. */
export interface ResourceRule extends RuleBase {
  scope: 'resource';
  /**
   * Whether findings depend on the run's context (the time, the directory) as well as on the
   * resource. Other resource rules' findings are cached per binding and not recomputed.
   * `{ policy }`: on that one policy of the manifest's (`ctx.policies`) only, so the rule reports
   * nothing on a manifest whose policies do not set it and is not run there (a folder without a
   * .scim-agents.yaml has empty policies: no policy rule runs on its resources).
   */
  contextual?: boolean | { policy: keyof Policies };
  /**
   * For a contextual rule: whether it can report on this binding at all, in any context, judged
   * from the binding's content alone (not the context, not where the resource is in the file);
   * false only where no context could make it report (the certificate rules: no certificate).
   * The linter keeps which bindings of a file it held on, so that a keystroke runs the rule on
   * those and on the bindings the edit made anew, not on every resource of the file. Without it,
   * a contextual rule runs on every binding at every run.
   */
  appliesTo?: (resource: BoundResource) => boolean;
  /**
   * Whether messages name line numbers (of the file, not only of the resource): a document that
   * an edit above it moved keeps its binding, but such a message must be written again. Whether
   * the rule reports at all is the binding's alone, so that it reported nothing is kept.
   */
  namesLines?: boolean;
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
  /** The organisation's policies that apply to a manifest (from its .scim-agents.yaml); the policy-* rules read them. */
  policies?: (uri: string) => Policies | undefined;
}

/** What a server told us about owners; absent when no endpoint is connected. */
export interface Directory {
  users: Map<string, DirectoryEntry>;
  groups: Map<string, DirectoryEntry>;
  /** Keys (lower case) whose lookup got an incomplete answer: not found is no proof of absence. */
  unsure?: { users: ReadonlySet<string>; groups: ReadonlySet<string> };
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
