/**
 * Provisioning results as diagnostics, next to the lint diagnostics of the same file. LSP keeps
 * one diagnostics list per document and publisher, so the two are merged: every lint publication
 * (DiagnosticsScheduler → connection.sendDiagnostics) passes through here and gets the file's
 * provisioning diagnostics appended, and a new provisioning result republishes the last lint list
 * with the new ones. Provisioning diagnostics have their own source (`scim-agents-provision`) and
 * codes prefixed `provision-`, so lint diagnostics and their quick fixes are untouched. They are
 * tied to the text they were computed for: after an edit their ranges would be wrong, so they
 * are dropped until the next plan or apply.
 */
import type { Connection, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';

export const PROVISION_SOURCE = 'scim-agents-provision';

export class ProvisionDiagnostics {
  private readonly lint = new Map<string, PublishDiagnosticsParams>();
  private readonly provision = new Map<string, { text: string; diagnostics: Diagnostic[] }>();
  private readonly send: (params: PublishDiagnosticsParams) => Promise<void>;

  constructor(
    connection: Connection,
    /** The file's current text, to know whether provisioning diagnostics still fit. */
    private readonly currentText: (uri: string) => string | undefined,
  ) {
    this.send = connection.sendDiagnostics.bind(connection);
    // Every publication of the server goes through `merge` (see the header comment).
    connection.sendDiagnostics = (params) => this.send(this.merge(params));
  }

  /** Replaces the provisioning diagnostics of a file (computed for `text`) and republishes it. */
  async set(uri: string, text: string, diagnostics: Diagnostic[]): Promise<void> {
    if (diagnostics.length === 0 && !this.provision.has(uri)) return;
    if (diagnostics.length === 0) this.provision.delete(uri);
    else this.provision.set(uri, { text, diagnostics });
    const last = this.lint.get(uri) ?? { uri, diagnostics: [] };
    await this.send(this.merge(last, false));
  }

  private merge(params: PublishDiagnosticsParams, fromLint = true): PublishDiagnosticsParams {
    if (fromLint) this.lint.set(params.uri, params);
    const own = this.provision.get(params.uri);
    if (!own) return params;
    if (own.text !== this.currentText(params.uri)) {
      this.provision.delete(params.uri);
      return params;
    }
    return { ...params, diagnostics: [...params.diagnostics, ...own.diagnostics] };
  }
}
