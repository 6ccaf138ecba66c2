/**
 * The language status item (the `{}` next to the language mode): which profile validated the
 * active manifest and when. Fed by the server's `scimAgents/status` notification.
 */
import * as vscode from 'vscode';
import { EDITOR_COMMANDS, type StatusParams } from '../../server/src/lsp/protocol';
import { LANGUAGE_IDS } from './selector';

interface Entry {
  profile: string;
  durationMs: number;
  resources: number;
  at: Date;
}

export class ManifestStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly byUri = new Map<string, Entry>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private problem: string | undefined;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('scimAgents.status', [...LANGUAGE_IDS]);
    this.item.name = 'SCIM Agents';
    this.item.command = { title: 'Show Output', command: EDITOR_COMMANDS.showOutput };
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.byUri.delete(doc.uri.toString())),
    );
    this.starting();
  }

  starting(): void {
    this.problem = undefined;
    this.item.busy = true;
    this.render();
  }

  running(): void {
    this.problem = undefined;
    this.item.busy = false;
    this.render();
  }

  failed(message: string): void {
    this.problem = message;
    this.item.busy = false;
    this.render();
  }

  update(params: StatusParams): void {
    this.byUri.set(params.uri, { profile: params.profile, durationMs: params.durationMs, resources: params.resources, at: new Date() });
    this.render();
  }

  /** The latest status of a document, or undefined before its first validation. */
  get(uri: vscode.Uri): Readonly<Entry> | undefined {
    return this.byUri.get(uri.toString());
  }

  private render(): void {
    if (this.problem !== undefined) {
      this.item.severity = vscode.LanguageStatusSeverity.Error;
      this.item.text = '$(error) SCIM Agents';
      this.item.detail = this.problem;
      return;
    }
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    const uri = vscode.window.activeTextEditor?.document.uri;
    const entry = uri && this.byUri.get(uri.toString());
    if (!entry) {
      this.item.text = 'SCIM Agents';
      this.item.detail = this.item.busy ? 'starting' : 'not validated yet';
      return;
    }
    this.item.text = `Profile: ${entry.profile}`;
    this.item.detail = `${entry.resources} resource${entry.resources === 1 ? '' : 's'}, validated ${entry.at.toLocaleTimeString()} in ${Math.round(entry.durationMs)} ms`;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
