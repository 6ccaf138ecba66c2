/**
 * The governance requests of the language server (server/src/lsp/governance.ts), as the client
 * sees them. Types only: the payloads are plain JSON built by the engine (server/src/governance).
 */
import type { Correlation, GroupBy, Inventory, InventoryGroup, InventoryItem } from '../../../server/src/governance/index';

export const INVENTORY_REQUEST = 'scimAgents/inventory';
export const IDENTIFY_TOKEN_REQUEST = 'scimAgents/identifyToken';

export interface ServerArgument {
  endpoint?: string;
  token?: string;
}

export interface InventoryResult {
  inventory: Inventory;
  groupBy: GroupBy;
  groups: InventoryGroup[];
}

export type { Correlation, GroupBy, InventoryGroup, InventoryItem };
