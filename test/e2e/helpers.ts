/**
 * Waiting helpers for the extension-host tests. Everything waits on an event or a short poll
 * with a deadline, never on a fixed sleep; a timeout fails with what was last seen.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ScimAgentsApi } from '../../client/src/extension';

export const EXTENSION_ID = 'scim-agents.scim-agents';
/** code-server on 2 cores needs 15–20 s to the first diagnostic after start-up. */
export const SLOW_MS = 60_000;

export function extension(): vscode.Extension<ScimAgentsApi> {
  const ext = vscode.extensions.getExtension<ScimAgentsApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this host`);
  return ext;
}

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test needs a workspace folder');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** Polls `probe` every `intervalMs` until it returns something other than undefined/false. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = SLOW_MS,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Asserts that `probe` stays false for the whole window (for things that must not happen). */
export async function staysFalse(what: string, probe: () => boolean, windowMs: number, intervalMs = 100): Promise<void> {
  const end = Date.now() + windowMs;
  while (Date.now() < end) {
    assert.equal(probe(), false, what);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The diagnostic's code as a string, whether or not it carries a codeDescription. */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

function describe(diags: readonly vscode.Diagnostic[]): string {
  if (diags.length === 0) return 'no diagnostics';
  return diags
    .map(
      (d) =>
        `[${d.source ?? '?'}:${codeOf(d) ?? '?'} ${vscode.DiagnosticSeverity[d.severity]} ${d.range.start.line + 1}:${d.range.start.character + 1}] ${d.message}`,
    )
    .join('; ');
}

/**
 * Resolves with the document's diagnostics as soon as `predicate` holds for them, checking now
 * and on every `onDidChangeDiagnostics` for that URI.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (diags: readonly vscode.Diagnostic[]) => boolean,
  what: string,
  timeoutMs = SLOW_MS,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void): void => {
      done = true;
      clearTimeout(timer);
      sub.dispose();
      fn();
    };
    const check = (): void => {
      if (done) return;
      const diags = vscode.languages.getDiagnostics(uri);
      if (predicate(diags)) finish(() => resolve(diags));
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(
      () =>
        finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${describe(vscode.languages.getDiagnostics(uri))}`))),
      timeoutMs,
    );
    check();
  });
}

export const ours = (d: vscode.Diagnostic): boolean => d.source === 'scim-agents';
export const withCode =
  (code: string) =>
  (d: vscode.Diagnostic): boolean =>
    ours(d) && codeOf(d) === code;

export async function open(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(relative));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Undo unsaved test edits so the next test sees the fixtures as they are on disk: the text is
 * put back from disk and saved (the web workbench keeps dirty editors across close, and has no
 * revert-all command), then every editor is closed.
 */
export async function revertAll(): Promise<void> {
  // Only the workspace's files: VS Code itself may hold other documents (e.g. user settings).
  const mine = (d: vscode.TextDocument): boolean => d.isDirty && vscode.workspace.getWorkspaceFolder(d.uri) !== undefined;
  for (const doc of vscode.workspace.textDocuments.filter(mine)) {
    const disk = new TextDecoder().decode(await vscode.workspace.fs.readFile(doc.uri));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), disk);
    assert.ok(await vscode.workspace.applyEdit(edit), `restoring ${doc.uri.path}`);
    // Restoring the disk's text can leave nothing to save: VS Code then answers false.
    if (doc.isDirty) assert.ok(await doc.save(), `saving ${doc.uri.path}`);
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
