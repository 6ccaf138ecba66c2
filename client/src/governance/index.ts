/**
 * Governance in VS Code: the "Agent Identities" view (with its group-by toggle and provisioning
 * state on request) and "Identify Token". Registered once by extension.ts.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EDITOR_COMMANDS, INTERNAL_EDITOR_COMMANDS } from '../../../server/src/lsp/protocol';
import { CorrelationDocuments, identifyToken, registerCorrelationDocuments } from './identifyToken';
import { serverArgument } from './server';
import { GROUP_BY_CONTEXT, IdentitiesTree, VIEW_ID } from './tree';

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
    vscode.commands.registerCommand(EDITOR_COMMANDS.refreshIdentities, () => tree.refresh()),
    vscode.commands.registerCommand(EDITOR_COMMANDS.groupByOwner, () => tree.setGroupBy('owner')),
    vscode.commands.registerCommand(EDITOR_COMMANDS.groupByApplication, () => tree.setGroupBy('application')),
    vscode.commands.registerCommand(EDITOR_COMMANDS.showProvisioningState, async () => {
      if (!(await server())) {
        void vscode.window.showWarningMessage(
          'Agent Identities: provisioning state needs a trusted workspace and a token for the endpoint ("SCIM Agents: Set Endpoint Token").',
        );
        return;
      }
      tree.withServer = true;
      tree.refresh();
    }),
    vscode.commands.registerCommand(INTERNAL_EDITOR_COMMANDS.describeIdentity, async () => ({
      groupBy: tree.groupBy,
      error: tree.lastError,
      nodes: await tree.render(),
    })),
    vscode.commands.registerCommand(EDITOR_COMMANDS.identifyToken, (arg?: unknown) => identifyToken(client, server, documents, arg)),
  ];
}
