/**
 * The governance model: what an IAM team audits about agent identities. Plain JSON (no class,
 * no Map) so the CLI, the language server and the VS Code tree all carry it as it is.
 */
import type { Position } from '../manifest/text';

/** How an identity's credentials stand, worst first (see credentials.ts for the order). */
export type CredentialState = 'expired' | 'not-yet-valid' | 'invalid' | 'unbound' | 'expiring' | 'bound' | 'none';

/** Where the identity stands on the configured endpoint. */
export type ProvisioningState = 'in-sync' | 'drifted' | 'not-provisioned' | 'orphaned' | 'blocked';

export interface InventoryOwner {
  /** As written: `user:alice`, `group:AI Platform Team`, or a server id. */
  reference: string;
  /** What it names: `User "alice" (users.agents.yaml:3)`, `server user 2819c223 (inactive)`, or why it is unknown. */
  resolvesTo: string;
  status: 'ok' | 'unresolved' | 'orphaned' | 'unknown';
  /** Why it is unresolved or orphaned. */
  message?: string;
}

export interface InventoryCredential {
  state: CredentialState;
  /** One line a person reads: which finding or which certificate decided the state. */
  detail: string;
  /** Earliest `notAfter` of the identity's parseable certificates (ISO 8601). */
  certificateExpiry?: string;
}

export interface InventoryProvisioning {
  state: ProvisioningState;
  /** The plan's action for the resource (create, update, unchanged, cannot-apply). */
  action: string;
  /** Server id, when the resource exists there. */
  id?: string;
  detail?: string;
}

export interface InventoryItem {
  /** Stable within one inventory: `<uri>#<resource index>`. */
  key: string;
  kind: 'Agent' | 'AgenticApplication';
  /** `Agent "support-triage"`. */
  label: string;
  /** The human key (name / agentUserName), else the externalId. */
  name: string;
  displayName?: string;
  externalId?: string;
  uri: string;
  /** Zero-based, LSP-style: where the resource is named in its file. */
  range: { start: Position; end: Position };
  /** One-based line of `range.start`, for file:line columns. */
  line: number;
  profile: string;
  active?: boolean;
  /** Agents only (the drafts give applications no owners). */
  owners: InventoryOwner[];
  /** The `sub` its tokens carry (Agent.subject). */
  subject?: string;
  /** Issuers that may sign its tokens: the `issuerUri`s of the applications' OAuth clients. */
  issuers: string[];
  credential: InventoryCredential;
  /** Agents: keys of the applications that list it. Applications: keys of the agents it lists. */
  applications: string[];
  agents: string[];
  /** An owner is inactive, deleted, or an empty group (rule owner-orphaned). */
  orphaned: boolean;
  /** Only when a plan against an endpoint was given. */
  provisioning?: InventoryProvisioning;
}

export interface Inventory {
  items: InventoryItem[];
  /** `host[:port]` of the endpoint the provisioning state comes from. */
  endpointHost?: string;
  generatedAt: string;
}

export type GroupBy = 'application' | 'owner';

/** A node of the grouped view: an application (with its agents) or an owner (with the agents it owns). */
export interface InventoryGroup {
  /** `application:<item key>`, `owner:<reference>`, or `none`. */
  key: string;
  label: string;
  /** The application itself when grouping by application. */
  item?: InventoryItem;
  /** The owner when grouping by owner. */
  owner?: InventoryOwner;
  children: InventoryItem[];
}
