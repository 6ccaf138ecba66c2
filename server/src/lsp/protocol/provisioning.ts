/**
 * The arguments and answers of the server's commands (ids in ./commands). Each takes one argument
 * object; the server reads it as untrusted input. A command that fails for a reason the user can
 * fix answers a ResponseError (RequestFailed) whose message is in their words and whose data is
 * `FailureData`, so that the client can offer the action that fixes it.
 */
import type { ItemError, ItemResult, ItemStatus, PlanAction, PlanCounts } from '../../provision';
import type { ImportType } from '../../provision/import';
import type { ServerArgument } from './governance';

/**
 * What the user can do about a failure: start the endpoint, set its token, fix the settings
 * (endpoint, TLS), trust the workspace, or read the log.
 */
export const FAILURE_KINDS = ['unreachable', 'auth', 'tls', 'server', 'settings', 'untrusted', 'input'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface FailureData {
  kind: FailureKind;
}

/** An LSP range (zero-based lines and UTF-16 characters), declared here so that neither side's library is needed. */
export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** `plan`, `apply`, `deprovision`: the manifests (default: the workspace), the endpoint and its token (see ServerArgument). */
export interface ProvisioningArgs extends ServerArgument {
  uri?: string;
  uris?: string[];
  /** apply: the id of a plan this server returned; only a plan that was shown is applied, and only while its files are unchanged. */
  planId?: string;
  /** deprovision: `deactivate` (default) or `delete`. */
  mode?: 'deactivate' | 'delete';
  /** Agents as Users where the server has no Agent type. */
  fallback?: 'linked-user';
  /** plan: only the code lenses follow the plan (a read on open): no diagnostics, the file's own lint speaks for it. */
  lensesOnly?: boolean;
}

/** Where a plan or result item is, for clients that show lists. */
export interface Located {
  uri: string;
  range: Range | undefined;
  label: string;
}

export interface PlanResult {
  planId: string;
  endpointHost: string;
  baseUrl: string;
  counts: PlanCounts;
  hasChanges: boolean;
  warnings: string[];
  /** The plan as the CLI prints it. */
  text: string;
  items: (Located & { action: PlanAction; reason?: string; changes?: number })[];
}

/** The answer of `apply` and `deprovision`. */
export interface ProvisionResult {
  endpointHost: string;
  counts: { applied: number; unchanged: number; failed: number; skipped: number };
  cancelled: boolean;
  text: string;
  items: (Located & { status: ItemStatus; outcome?: ItemResult['outcome']; id?: string; error?: ItemError; warnings?: string[] })[];
}

/** `verifyToken` {endpoint?, token}: one authenticated GET. */
export interface VerifyTokenResult {
  ok: true;
  endpointHost: string;
}

/** `refreshDirectory` {endpoint?, token?}: the server's users and groups, and the owner problems found against them. */
export interface RefreshDirectoryResult {
  endpointHost: string;
  users: number;
  groups: number;
  /** False when the server's listing was cut short (the owner checks then say nothing of what was not listed). */
  complete: boolean;
  problems: number;
}

/** `refreshSchemas` {endpoint?, token?}: the definitions the `server` profile now follows. */
export interface RefreshSchemasResult {
  endpoint: string;
  fetchedAt: string;
  resourceTypes: string[];
  notes: string[];
}

/** `import` {folder: file URI, endpoint?, token?, filter?, types?}. */
export interface ImportArgs extends ServerArgument {
  folder: string;
  filter?: string;
  types?: ImportType[];
}

export interface ImportResult {
  endpointHost: string;
  counts: Record<ImportType, number>;
  notes: string[];
  files: { uri: string; status: 'created' | 'updated' | 'unchanged' }[];
}

/** `serverInfo`: what the index holds, for clients and for checking the server from a script. */
export interface ServerInfoResult {
  files: number;
  /** Resources by type name. */
  resources: Record<string, number>;
  profile: string;
  workspaceTrusted: boolean;
  /** The first resources' labels. */
  labels: string[];
}
