/**
 * The "Agent Identities" view: every agent and application of the workspace, grouped by
 * application or by owner, with owners, credential state and provisioning state. The data is
 * the language server's `scimAgents/inventory` (one engine for the editor, the CLI and other
 * editors); this file only turns it into tree items.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  INVENTORY_REQUEST,
  type GroupBy,
  type InventoryGroup,
  type InventoryItem,
  type InventoryResult,
  type ServerArgument,
} from '../../../server/src/lsp/protocol';

export const VIEW_ID = 'scimAgents.identities';
export const GROUP_BY_CONTEXT = 'scimAgents.identities.groupBy';

/** A tree element. Identity nodes carry `uri`, so the provisioning commands accept them as they are. */
export type IdentityNode =
  { type: 'group'; id: string; group: InventoryGroup; uri?: string } | { type: 'identity'; id: string; item: InventoryItem; uri: string };

/** What a test or a script reads back: the tree as the user sees it. */
export interface RenderedNode {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string;
  contextValue?: string;
  /** What selecting the item runs: the command and its arguments, as the view would run them. */
  command?: { command: string; arguments: unknown[] };
  children?: RenderedNode[];
}

export class IdentitiesTree implements vscode.TreeDataProvider<IdentityNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<IdentityNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  groupBy: GroupBy = 'application';
  /** Ask the endpoint too (plan, read-only) once the user asked for provisioning state. */
  withServer = false;
  private result: Promise<InventoryResult | undefined> | undefined;
  lastError: string | undefined;
  /** The view, to say in it (not in a second toast) why provisioning state is missing. */
  view: vscode.TreeView<IdentityNode> | undefined;

  constructor(
    private readonly client: () => Promise<LanguageClient>,
    private readonly server: () => Promise<ServerArgument | undefined>,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  refresh(): void {
    this.result = undefined;
    this.changed.fire(undefined);
  }

  async setGroupBy(by: GroupBy): Promise<void> {
    this.groupBy = by;
    await vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT, by);
    this.refresh();
  }

  /** The inventory, fetched once per refresh. */
  load(): Promise<InventoryResult | undefined> {
    this.result ??= this.fetch();
    return this.result;
  }

  private async fetch(): Promise<InventoryResult | undefined> {
    try {
      const server = this.withServer ? await this.server() : undefined;
      const client = await this.client();
      const result = await client.sendRequest<InventoryResult>(INVENTORY_REQUEST, { groupBy: this.groupBy, ...(server ? { server } : {}) });
      this.lastError = undefined;
      if (this.view && this.withServer) this.view.message = undefined;
      return result;
    } catch (e) {
      // The server's messages never carry the token; say what failed and show the workspace alone.
      this.lastError = e instanceof Error ? e.message : String(e);
      this.output.warn(`Agent Identities: ${this.lastError}`);
      if (this.withServer) {
        this.withServer = false;
        // The command that failed against the same endpoint already said so: one message, in the view.
        if (this.view) this.view.message = `Provisioning state unavailable: ${this.lastError}`;
        return this.fetch();
      }
      return undefined;
    }
  }

  async getChildren(node?: IdentityNode): Promise<IdentityNode[]> {
    if (node?.type === 'identity') return [];
    if (node?.type === 'group') return node.group.children.map((item) => identity(item, node.id));
    const result = await this.load();
    if (!result) return [];
    return result.groups.map((group) => ({ type: 'group', id: group.key, group, ...(group.item ? { uri: group.item.uri } : {}) }));
  }

  getTreeItem(node: IdentityNode): vscode.TreeItem {
    if (node.type === 'identity') return identityItem(node.item, node.id);
    const { group } = node;
    if (group.item) {
      const t = identityItem(group.item, node.id);
      t.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
      return t;
    }
    const t = new vscode.TreeItem(group.label, vscode.TreeItemCollapsibleState.Expanded);
    t.id = node.id;
    t.description = `${group.children.length}`;
    if (group.owner) {
      t.iconPath = new vscode.ThemeIcon(group.owner.status === 'orphaned' ? 'warning' : group.owner.reference.startsWith('group:') ? 'organization' : 'person');
      t.tooltip = `${group.owner.reference} → ${group.owner.resolvesTo}${group.owner.message ? `\n${group.owner.message}` : ''}`;
    } else t.iconPath = new vscode.ThemeIcon('folder');
    t.contextValue = 'scimAgents.identityGroup';
    return t;
  }

  /** The whole tree as rendered items (for the e2e suite and for scripts). */
  async render(): Promise<RenderedNode[]> {
    const walk = async (nodes: IdentityNode[]): Promise<RenderedNode[]> =>
      Promise.all(
        nodes.map(async (n) => {
          const t = this.getTreeItem(n);
          const children = await this.getChildren(n);
          const label = typeof t.label === 'string' ? t.label : (t.label?.label ?? '');
          return {
            label,
            ...(typeof t.description === 'string' ? { description: t.description } : {}),
            ...(t.tooltip ? { tooltip: typeof t.tooltip === 'string' ? t.tooltip : t.tooltip.value } : {}),
            ...(t.iconPath instanceof vscode.ThemeIcon ? { icon: t.iconPath.id } : {}),
            ...(t.contextValue ? { contextValue: t.contextValue } : {}),
            ...(t.command ? { command: { command: t.command.command, arguments: t.command.arguments ?? [] } } : {}),
            ...(children.length ? { children: await walk(children) } : {}),
          };
        }),
      );
    return walk(await this.getChildren());
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function identity(item: InventoryItem, parent: string): IdentityNode {
  return { type: 'identity', id: `${parent}/${item.key}`, item, uri: item.uri };
}

const CREDENTIAL_ICON: Record<string, [string, string]> = {
  expired: ['error', 'errorForeground'],
  'not-yet-valid': ['error', 'errorForeground'],
  invalid: ['error', 'errorForeground'],
  unbound: ['unlock', 'errorForeground'],
  expiring: ['warning', 'editorWarning.foreground'],
  bound: ['lock', 'testing.iconPassed'],
  none: ['circle-outline', 'descriptionForeground'],
};

function identityItem(item: InventoryItem, id: string): vscode.TreeItem {
  const t = new vscode.TreeItem(item.name, vscode.TreeItemCollapsibleState.None);
  t.id = id;
  const owners = item.kind === 'Agent' ? (item.owners.length ? item.owners.map((o) => o.reference).join(', ') : 'no owner') : undefined;
  t.description = [
    owners,
    `credential ${item.credential.state}`,
    item.provisioning ? item.provisioning.state : undefined,
    item.orphaned ? 'orphaned' : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const [icon, color] = item.orphaned
    ? ['warning', 'editorWarning.foreground']
    : item.kind === 'AgenticApplication' && item.credential.state === 'bound'
      ? ['server-process', 'testing.iconPassed']
      : CREDENTIAL_ICON[item.credential.state]!;
  t.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  t.tooltip = tooltipOf(item);
  t.contextValue = item.kind === 'Agent' ? 'scimAgents.identity.agent' : 'scimAgents.identity.application';
  t.resourceUri = vscode.Uri.parse(item.uri);
  t.command = {
    command: 'vscode.open',
    title: 'Open Definition',
    arguments: [
      vscode.Uri.parse(item.uri),
      { selection: new vscode.Range(item.range.start.line, item.range.start.character, item.range.end.line, item.range.end.character) },
    ],
  };
  return t;
}

function tooltipOf(item: InventoryItem): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.appendMarkdown(`**${esc(item.label)}** · ${item.profile}\n\n`);
  if (item.kind === 'Agent') {
    md.appendMarkdown(`Owners:\n`);
    for (const o of item.owners)
      md.appendMarkdown(`- \`${esc(o.reference)}\` → ${esc(o.resolvesTo)}${o.status === 'ok' || o.status === 'unknown' ? '' : ` **${o.status}**`}\n`);
    if (!item.owners.length) md.appendMarkdown('- none\n');
    md.appendMarkdown('\n');
  }
  md.appendMarkdown(`Credential: **${item.credential.state}**: ${esc(item.credential.detail)}\n\n`);
  if (item.credential.certificateExpiry) md.appendMarkdown(`Certificate expires ${item.credential.certificateExpiry.slice(0, 10)}\n\n`);
  if (item.subject) md.appendMarkdown(`Subject: \`${esc(item.subject)}\`${item.issuers.length ? ` (issuers: ${item.issuers.map(esc).join(', ')})` : ''}\n\n`);
  if (item.provisioning)
    md.appendMarkdown(`Provisioning: **${item.provisioning.state}**${item.provisioning.detail ? `: ${esc(item.provisioning.detail)}` : ''}\n\n`);
  return md;
}

/** Manifest text is not ours: keep it from being read as markdown. */
function esc(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}
