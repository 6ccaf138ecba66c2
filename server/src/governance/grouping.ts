/**
 * The two views of an inventory: agents under the applications that list them, or under the
 * owners accountable for them. An agent appears under every application or owner it has.
 */
import type { GroupBy, Inventory, InventoryGroup, InventoryItem, InventoryOwner } from './types';

export function groupInventory(inventory: Inventory, by: GroupBy): InventoryGroup[] {
  return by === 'owner' ? byOwner(inventory) : byApplication(inventory);
}

function byApplication(inventory: Inventory): InventoryGroup[] {
  const byKey = new Map(inventory.items.map((i) => [i.key, i]));
  const groups: InventoryGroup[] = inventory.items
    .filter((i) => i.kind === 'AgenticApplication')
    .map((app) => ({
      key: `application:${app.key}`,
      label: app.label,
      item: app,
      children: app.agents.map((k) => byKey.get(k)).filter((a): a is InventoryItem => Boolean(a)),
    }));
  const loose = inventory.items.filter((i) => i.kind === 'Agent' && i.applications.length === 0);
  if (loose.length) groups.push({ key: 'none', label: 'Agents in no application', children: loose });
  return groups;
}

function byOwner(inventory: Inventory): InventoryGroup[] {
  const groups = new Map<string, InventoryGroup>();
  const agents = inventory.items.filter((i) => i.kind === 'Agent');
  for (const agent of agents) {
    for (const owner of agent.owners) {
      // `user:Alice` and `user:alice` name the same user (names are case-insensitive).
      const key = `owner:${owner.reference.toLowerCase()}`;
      const group = groups.get(key) ?? { key, label: ownerLabel(owner), owner, children: [] };
      if (!group.children.includes(agent)) group.children.push(agent);
      groups.set(key, group);
    }
  }
  const sorted = [...groups.values()].sort((a, b) => a.label.localeCompare(b.label));
  const ownerless = agents.filter((a) => a.owners.length === 0);
  if (ownerless.length) sorted.push({ key: 'none', label: 'No owner', children: ownerless });
  const apps = inventory.items.filter((i) => i.kind === 'AgenticApplication');
  // The drafts give applications no owners: they are listed apart, not hidden.
  if (apps.length) sorted.push({ key: 'applications', label: 'Applications (owned through their agents)', children: apps });
  return sorted;
}

function ownerLabel(owner: InventoryOwner): string {
  const flag = owner.status === 'orphaned' ? ' (orphaned)' : owner.status === 'unresolved' ? ' (unresolved)' : '';
  return owner.reference + flag;
}
