/** The inventory as text for a terminal, grouped the way the tree view groups it. */
import { printable } from '../util/printable';
import { groupInventory } from './grouping';
import type { GroupBy, Inventory, InventoryItem } from './types';

export function renderInventoryText(inventory: Inventory, by: GroupBy, fileName: (uri: string) => string = (u) => u): string {
  const agents = inventory.items.filter((i) => i.kind === 'Agent');
  const apps = inventory.items.length - agents.length;
  const orphaned = agents.filter((a) => a.orphaned).length;
  const lines = [
    `${agents.length} agent${agents.length === 1 ? '' : 's'}, ${apps} application${apps === 1 ? '' : 's'}` +
      (orphaned ? `, ${orphaned} orphaned` : '') +
      (inventory.endpointHost ? ` (provisioning state from ${printable(inventory.endpointHost)})` : ''),
    '',
  ];
  for (const group of groupInventory(inventory, by)) {
    lines.push(group.item ? describe(group.item, fileName) : printable(group.label));
    for (const child of group.children) lines.push('  ' + describe(child, fileName));
    lines.push('');
  }
  return lines.join('\n');
}

function describe(i: InventoryItem, fileName: (uri: string) => string): string {
  const facts = [
    `credential ${i.credential.state}${i.credential.certificateExpiry ? ` (certificate expires ${i.credential.certificateExpiry.slice(0, 10)})` : ''}`,
    i.kind === 'Agent'
      ? `owners ${i.owners.length ? i.owners.map((o) => printable(o.reference) + (o.status === 'ok' || o.status === 'unknown' ? '' : ` [${o.status}]`)).join(', ') : 'none'}`
      : undefined,
    i.subject ? `subject ${printable(i.subject)}` : undefined,
    i.provisioning ? `server ${i.provisioning.state}` : undefined,
    i.orphaned ? 'ORPHANED' : undefined,
  ].filter(Boolean);
  // Manifest text (label, file name, owners, subject) is escaped: one item is exactly two lines.
  return `${printable(i.label)} [${i.profile}] ${printable(fileName(i.uri))}:${i.line}\n      ${facts.join(' · ')}`;
}
