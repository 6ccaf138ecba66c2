/**
 * Governance in VS Code: the "Agent Identities" view (with its group-by toggle and provisioning
 * state on request) and "Identify Token". Registered once by extension.ts.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CorrelationDocuments, IDENTIFY_TOKEN_COMMAND, identifyToken, registerCorrelationDocuments } from './identifyToken';
import { serverArgument } from './server';
import { GROUP_BY_CONTEXT, IdentitiesTree, VIEW_ID } from './tree';

export const GOVERNANCE_COMMANDS = {
  refresh: 'scimAgents.identities.refresh',
  groupByOwner: 'scimAgents.identities.groupByOwner',
  groupByApplication: 'scimAgents.identities.groupByApplication',
  showProvisioningState: 'scimAgents.identities.showProvisioningState',
  /** Internal: the rendered tree, for tests and scripts. */
  describe: 'scimAgents.identities.describe',
  identifyToken: IDENTIFY_TOKEN_COMMAND,
} as const;

export function registerGovernance(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  client: () => Promise<LanguageClient>,
): vscode.Disposable[] {
  const server = () => serverArgument(context.secrets);
  const tree = new IdentitiesTree(client, server, output);
  const documents = new CorrelationDocuments();
  void vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT, tree.groupBy);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  tree.view = view;
  // The server re-publishes diagnostics whenever a manifest changes: the inventory may have too.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onDiagnostics = vscode.languages.onDidChangeDiagnostics(() => {
    clearTimeout(timer);
    timer = setTimeout(() => tree.refresh(), 300);
  });
  return [
    tree,
    onDiagnostics,
    { dispose: () => clearTimeout(timer) },
    view,
    registerCorrelationDocuments(documents),
    vscode.commands.registerCommand(GOVERNANCE_COMMANDS.refresh, () => tree.refresh()),
    vscode.commands.registerCommand(GOVERNANCE_COMMANDS.groupByOwner, () => tree.setGroupBy('owner')),
    vscode.commands.registerCommand(GOVERNANCE_COMMANDS.groupByApplication, () => tree.setGroupBy('application')),
    vscode.commands.registerCommand(GOVERNANCE_COMMANDS.showProvisioningState, async () => {
      if (!(await server())) {
        void vscode.window.showWarningMessage(
          'Agent Identities: provisioning state needs a trusted workspace and a token for the endpoint ("SCIM Agents: Set Endpoint Token").',
        );
        return;
      }
      tree.withServer = true;
      tree.refresh();
    }),
    vscode.commands.registerCommand(GOVERNANCE_COMMANDS.describe, async () => ({ groupBy: tree.groupBy, error: tree.lastError, nodes: await tree.render() })),
    vscode.commands.registerCommand(GOVERNANCE_COMMANDS.identifyToken, (arg?: unknown) => identifyToken(client, server, documents, arg)),
  ];
}
