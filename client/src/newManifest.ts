/**
 * New Agent Manifest: `<name>.agent.yaml` in the workspace folder, opened with the "New agent"
 * snippet in it (its placeholders take the file's name), the walkthrough's first step. A file
 * that exists is never overwritten.
 */
import * as vscode from 'vscode';
import { EDITOR_COMMANDS } from '../../server/src/lsp/protocol';

/** The snippet's name in snippets/scim-agents-yaml.code-snippets. */
const SNIPPET = 'New agent';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function registerNewManifest(): vscode.Disposable {
  return vscode.commands.registerCommand(EDITOR_COMMANDS.newManifest, async (given?: unknown) => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      void vscode.window.showErrorMessage('SCIM Agents: open a folder first; a manifest lives in the workspace.');
      return undefined;
    }
    const exists = async (name: string) => {
      try {
        await vscode.workspace.fs.stat(fileOf(folder, name));
        return true;
      } catch {
        return false;
      }
    };
    const name =
      typeof given === 'string'
        ? given
        : await vscode.window.showInputBox({
            title: 'New Agent Manifest',
            prompt: 'The agent’s name: the file is <name>.agent.yaml, and the name its externalId and name.',
            value: 'my-agent',
            validateInput: async (v) =>
              !NAME.test(v)
                ? 'Letters, digits, "-" and "_", starting with a letter or digit.'
                : (await exists(v))
                  ? `${v}.agent.yaml exists already.`
                  : undefined,
          });
    if (name === undefined) return undefined;
    if (!NAME.test(name) || (await exists(name))) {
      void vscode.window.showErrorMessage(`SCIM Agents: cannot create ${name}.agent.yaml (an unusable name, or the file exists).`);
      return undefined;
    }
    const uri = fileOf(folder, name);
    await vscode.workspace.fs.writeFile(uri, new Uint8Array());
    await vscode.window.showTextDocument(uri);
    await vscode.commands.executeCommand('editor.action.insertSnippet', { langId: 'scim-agents-yaml', name: SNIPPET });
    return uri.toString();
  });
}

function fileOf(folder: vscode.WorkspaceFolder, name: string): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, `${name}.agent.yaml`);
}
