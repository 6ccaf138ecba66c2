/**
 * *SCIM Agents: Import from Endpoint…*: asks for a folder and runs the language server's
 * `scimAgents.import` there, with the endpoint of the `SCIMAgents.endpoint.url` setting and its
 * token from SecretStorage. Thin on purpose: the server does the work, as the CLI's import does.
 * Options object for tests and other extensions: { folder?: Uri | string, token?, yes?: true }.
 */
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { EDITOR_COMMANDS, SERVER_COMMANDS, type ImportArgs, type ImportResult } from '../../server/src/lsp/protocol';
import { configuredEndpoint, originOf, redact, TokenStore } from './provisioning/secrets';

interface ImportOptions {
  folder?: vscode.Uri | string;
  token?: string;
  yes?: boolean;
}

export function registerImportCommand(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  client: () => Promise<LanguageClient>,
): vscode.Disposable {
  const tokens = new TokenStore(context.secrets);
  return vscode.commands.registerCommand(EDITOR_COMMANDS.importFromEndpoint, async (arg?: unknown) => {
    const options = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : arg instanceof vscode.Uri ? { folder: arg } : {}) as ImportOptions;
    try {
      if (!vscode.workspace.isTrusted) throw new Error('Importing needs a trusted workspace: this one is in Restricted Mode.');
      const endpoint = configuredEndpoint();
      const token = options.token ?? (await tokens.get(originOf(endpoint)));
      if (!token) throw new Error(`No token for ${originOf(endpoint)}: run "SCIM Agents: Set Endpoint Token".`);
      const folder = typeof options.folder === 'string' ? vscode.Uri.parse(options.folder) : (options.folder ?? (await pickFolder()));
      if (!folder) return undefined;
      const lc = await client();
      const result = (await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `SCIM Agents: importing from ${new URL(endpoint).host}` },
        () =>
          lc.sendRequest(ExecuteCommandRequest.type, {
            command: SERVER_COMMANDS.import,
            arguments: [{ folder: folder.toString(), endpoint, token } satisfies ImportArgs],
          }),
      )) as ImportResult;
      const created = result.files.filter((f) => f.status === 'created').length;
      const updated = result.files.filter((f) => f.status === 'updated').length;
      const summary = `Imported ${result.counts.Agent} agent(s) and ${result.counts.AgenticApplication} application(s) from ${result.endpointHost}: ${created} file(s) created, ${updated} updated.`;
      output.info([summary, ...result.notes].join('\n'));
      if (!options.yes) void vscode.window.showInformationMessage(summary);
      return result;
    } catch (error) {
      const message = redact(error instanceof Error ? error.message : String(error), [options.token]);
      output.error(message);
      if (options.yes) throw new Error(message);
      void vscode.window.showErrorMessage(`SCIM Agents: ${message}`);
      return undefined;
    }
  });
}

async function pickFolder(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Import here',
    title: 'Folder for the imported manifests',
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  return picked?.[0];
}
