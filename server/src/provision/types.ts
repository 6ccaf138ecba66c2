/**
 * The provisioning model: a Plan (what would change on the server and why) and the results of
 * applying it. Every item carries the manifest uri and span it came from, so adapters can show
 * plan lines and server errors as diagnostics on the resource in the file.
 */
import type { Span } from '../manifest/text';
import type { Finding, Directory } from '../rules/types';
import type { AttributeDefinition } from '../schema/types';
import type { PatchOperation, ScimClient, ScimResource, ServerCapabilities } from '../scim';

export type PlanAction = 'create' | 'update' | 'unchanged' | 'cannot-apply';

export interface PlanItem {
  /** Stable within the plan; also the item's `bulkId` (other items refer to it as `bulkId:<key>`). */
  key: string;
  uri: string;
  /** Where the resource is named in the file (its name key, else `schemas`). */
  span: Span;
  /** `Agent "support-triage"`. */
  label: string;
  /** The manifest's resource type (Agent, AgenticApplication, User, Group). */
  resourceType: string;
  /** The server's resource type used for it: differs from resourceType under the linked-user fallback. */
  serverType?: string;
  /** Collection on the server, e.g. `/Agents`. */
  endpoint?: string;
  action: PlanAction;
  /** Why it cannot be applied (cannot-apply), or a note on the action. */
  reason?: string;
  /** Lint errors that block this resource (cannot-apply). */
  errors?: Finding[];
  /** Things the user should know (attributes that cannot travel, attributes the server ignores). */
  warnings?: string[];
  /** The attribute and value the resource is looked up (and adopted) by. */
  lookup?: { attribute: string; value: string; caseExact: boolean };
  /** The SCIM body to send: canonical names, references replaced by server ids or `bulkId:<key>` of items created in this run. */
  body?: Record<string, unknown>;
  /** The minimal change for an update (server-managed attributes excluded). */
  diff?: PatchOperation[];
  existingId?: string;
  /** meta.version of the existing resource as read while planning. */
  existingVersion?: string;
  /** Keys of the plan items this one references (applied first). */
  dependsOn: string[];
}

export interface PlanCounts {
  create: number;
  update: number;
  unchanged: number;
  cannotApply: number;
}

export interface Plan {
  /** Host (and port) of the endpoint, as shown to the person confirming. */
  endpointHost: string;
  baseUrl: string;
  items: PlanItem[];
  counts: PlanCounts;
  /** Users and groups the server has (those the manifests name), for owner-unresolved/owner-orphaned. */
  directory: Directory;
  /** Plan-wide notes (discovery gaps, fallback in use). */
  warnings: string[];
  /** Lint findings of every planned file, keyed by uri (errors block; warnings are informational). */
  findings: Map<string, Finding[]>;
  capabilities: ServerCapabilities;
  /** Server state of updated/unchanged items as read while planning (not serialised). */
  current: Map<string, ScimResource>;
  /**
   * Per item key, the attribute definitions its diff uses (not serialised): apply computes every
   * PATCH with the same definitions as the plan it shows (provision/diff.ts).
   */
  attributeDefs: Map<string, readonly AttributeDefinition[]>;
  /** Requests made while planning, when the caller counted them. */
  requests?: number;
}

export type ItemStatus = 'applied' | 'unchanged' | 'failed' | 'skipped';

export interface ItemError {
  status: number;
  scimType?: string;
  detail: string;
}

export interface ItemResult {
  key: string;
  uri: string;
  span: Span;
  label: string;
  action: PlanAction;
  /** `unchanged`: nothing needed doing (no request was sent). */
  status: ItemStatus;
  id?: string;
  /**
   * `created`, `adopted` (found on the server after an ambiguous or conflicting create), `updated`,
   * `deactivated`, `deleted`, `absent` (certainly not on the server), `kept` (left as it is on
   * purpose: a Group when deactivating).
   */
  outcome?: 'created' | 'adopted' | 'updated' | 'deactivated' | 'deleted' | 'absent' | 'kept';
  error?: ItemError;
  warnings?: string[];
}

export interface ApplyResult {
  endpointHost: string;
  items: ItemResult[];
  counts: { applied: number; unchanged: number; failed: number; skipped: number };
  cancelled: boolean;
}

export interface ApplyProgress {
  done: number;
  total: number;
  item: ItemResult;
}

export interface ApplyOptions {
  client: ScimClient;
  /** Parallel requests; default 4. */
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (progress: ApplyProgress) => void;
  /** Use /Bulk for creates: 'auto' (default: when supported and at least `bulkThreshold` creates), 'never' or 'always' (when supported). */
  bulk?: 'auto' | 'never' | 'always';
  /** Creates from which Bulk is worth it; default 4. */
  bulkThreshold?: number;
}
