/**
 * Shows a rule's help page, shipped with the extension (docs/rules/<code>.md), rendered as a
 * Markdown preview: offline, and inside the editor. The server offers it as a code action on
 * each finding; the diagnostic's code link opens the same page as a file.
 */
import * as vscode from 'vscode';
import { INTERNAL_EDITOR_COMMANDS } from '../../server/src/lsp/protocol';

const RULE_CODE = /^[a-z][a-z0-9-]{0,63}$/;

export function registerRuleHelp(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(INTERNAL_EDITOR_COMMANDS.showRuleHelp, async (code: unknown) => {
    if (typeof code !== 'string' || !RULE_CODE.test(code)) return undefined;
    const page = vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules', `${code}.md`);
    try {
      await vscode.workspace.fs.stat(page);
    } catch {
      void vscode.window.showWarningMessage(`SCIM Agents has no help page for "${code}".`);
      return undefined;
    }
    await vscode.commands.executeCommand('markdown.showPreview', page);
    return page.toString();
  });
}
