/**
 * Rule help inside the editor, offline: each diagnostic's code links to the rule's page shipped
 * with the extension (docs/rules/<code>.md, next to dist/). A file link, not a `command:` URI:
 * VS Code 1.139 opens a diagnostic's code link with command URIs disabled in the editor hover and
 * the peek view (only the Problems panel allows them), and a file opens everywhere. A client that
 * says it has a command to render the page (initializationOptions.ruleHelpCommand) also gets a
 * "Show help" code action per finding.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { rulePagePath } from '../rules/catalogue';
import { ruleFor } from '../rules/registry';

/** The package root: dist/server.js lives one folder below it. */
const PACKAGE_ROOT = path.resolve(__dirname, '..');

/** Where a rule's page is, as a file URI; undefined for a code that is not a rule. */
export function ruleHelpHref(code: string): string | undefined {
  return ruleFor(code) ? pathToFileURL(path.join(PACKAGE_ROOT, rulePagePath(code))).href : undefined;
}

export function ruleHelpAction(command: string, diagnostic: Diagnostic): CodeAction | undefined {
  const code = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
  if (!code || !ruleFor(code)) return undefined;
  return {
    title: `Show help for rule ${code}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    command: { title: `Show help for rule ${code}`, command, arguments: [code] },
  };
}
