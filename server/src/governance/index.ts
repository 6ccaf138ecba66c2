/** Governance: inventory, token correlation, orphaned agents. Adapters (CLI, LSP) import from here. */
export { buildInventory, issuersOf, type InventoryOptions } from './inventory';
export { groupInventory } from './grouping';
export { inventoryToCsv, csvField, CSV_COLUMNS } from './csv';
export { renderInventoryText } from './render';
export { decodeJwt, TokenError, type DecodedToken } from './jwt';
export {
  correlateToken,
  renderCorrelationText,
  type Correlation,
  type CorrelatedAgent,
  type IssuerCheck,
  type ServerSubjectMatch,
  type ServerSubjectResult,
} from './correlate';
export { lookupSubjectOnServer } from './serverSubject';
export type * from './types';
