/**
 * The audit spreadsheet: one row per identity (agents, then applications), RFC 4180 CSV
 * (CRLF line ends; fields with commas, quotes or line breaks quoted, quotes doubled).
 */
import type { Inventory, InventoryItem } from './types';

export const CSV_COLUMNS = [
  'kind',
  'name',
  'displayName',
  'externalId',
  'profile',
  'owners',
  'ownerStatus',
  'ownersResolveTo',
  'applications',
  'subject',
  'issuers',
  'credentialState',
  'certificateExpiry',
  'orphaned',
  'provisioningState',
  'provisioningDetail',
  'location',
] as const;

export function inventoryToCsv(inventory: Inventory, fileName: (uri: string) => string = (u) => u): string {
  const byKey = new Map(inventory.items.map((i) => [i.key, i]));
  const names = (keys: readonly string[]) => keys.map((k) => byKey.get(k)?.name ?? k).join('; ');
  const ordered = [...inventory.items.filter((i) => i.kind === 'Agent'), ...inventory.items.filter((i) => i.kind !== 'Agent')];
  const rows = ordered.map((i: InventoryItem) => [
    i.kind,
    i.name,
    i.displayName ?? '',
    i.externalId ?? '',
    i.profile,
    i.owners.map((o) => o.reference).join('; '),
    i.owners.map((o) => o.status).join('; '),
    i.owners.map((o) => o.resolvesTo).join('; '),
    names(i.kind === 'Agent' ? i.applications : i.agents),
    i.subject ?? '',
    i.issuers.join('; '),
    i.credential.state,
    i.credential.certificateExpiry?.slice(0, 10) ?? '',
    i.orphaned ? 'yes' : 'no',
    i.provisioning?.state ?? '',
    i.provisioning?.detail ?? '',
    `${fileName(i.uri)}:${i.line}`,
  ]);
  return [[...CSV_COLUMNS], ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function csvField(value: string): string {
  // A cell that starts like a formula would run in the auditor's spreadsheet: make it text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
