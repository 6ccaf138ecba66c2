/**
 * The governance requests of the language server: names and payloads, shared by the server
 * (lsp/governance.ts) and the VS Code client. Types and constants only, so the client can import
 * it without pulling in the server.
 */
import type { Correlation, GroupBy, Inventory, InventoryGroup, InventoryItem } from '../../governance';

export const INVENTORY_REQUEST = 'scimAgents/inventory';
export const IDENTIFY_TOKEN_REQUEST = 'scimAgents/identifyToken';

export interface ServerArgument {
  /** SCIM base URL; default: the user's machine setting as the client sent it, else SCIM_AGENTS_ENDPOINT, else the local sandbox. */
  endpoint?: string;
  /** Bearer token (VS Code reads it from SecretStorage); default: SCIM_AGENTS_TOKEN of the server's environment. */
  token?: string;
}

export interface InventoryParams {
  groupBy?: GroupBy;
  server?: ServerArgument;
}

export interface InventoryResult {
  inventory: Inventory;
  groupBy: GroupBy;
  groups: InventoryGroup[];
}

export interface IdentifyTokenParams {
  jwt: string;
  server?: ServerArgument;
}

export type { Correlation, GroupBy, InventoryGroup, InventoryItem };
