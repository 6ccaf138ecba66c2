/**
 * Provisioning results as diagnostics, next to the lint diagnostics of the same file. LSP keeps
 * one diagnostics list per document and publisher, so the two are merged: every lint publication
 * (DiagnosticsScheduler → connection.sendDiagnostics) passes through here and gets the file's
 * provisioning diagnostics appended, and a new provisioning result republishes the last lint list
 * with the new ones. Provisioning diagnostics have their own source (`scim-agents-provision`) and
 * codes prefixed `provision-`, so lint diagnostics and their quick fixes are untouched. They are
 * tied to the text they were computed for: after an edit their ranges would be wrong, so they
 * are dropped until the next plan or apply. The server-backed checks (owners against the
 * server's directory, on save or on command) are a second layer kept the same way, with their
 * own source (`scim-agents-server`), so typing never waits on the network.
 */
import type { Connection, Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';

export const PROVISION_SOURCE = 'scim-agents-provision';
export const SERVER_CHECK_SOURCE = 'scim-agents-server';

export type Layer = 'provision' | 'server';

export class ProvisionDiagnostics {
  private readonly lint = new Map<string, PublishDiagnosticsParams>();
  private readonly layers: Record<Layer, Map<string, { text: string; diagnostics: Diagnostic[] }>> = { provision: new Map(), server: new Map() };
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

  /** Replaces one layer's diagnostics of a file (computed for `text`) and republishes it. */
  async set(uri: string, text: string, diagnostics: Diagnostic[], layer: Layer = 'provision'): Promise<void> {
    const map = this.layers[layer];
    if (diagnostics.length === 0 && !map.has(uri)) return;
    if (diagnostics.length === 0) map.delete(uri);
    else map.set(uri, { text, diagnostics });
    const last = this.lint.get(uri) ?? { uri, diagnostics: [] };
    await this.send(this.merge(last, false));
  }

  /** Files that have diagnostics of a layer now. */
  uris(layer: Layer): string[] {
    return [...this.layers[layer].keys()];
  }

  private merge(params: PublishDiagnosticsParams, fromLint = true): PublishDiagnosticsParams {
    if (fromLint) this.lint.set(params.uri, params);
    let diagnostics = params.diagnostics;
    for (const map of Object.values(this.layers)) {
      const own = map.get(params.uri);
      if (!own) continue;
      if (own.text !== this.currentText(params.uri)) map.delete(params.uri);
      else diagnostics = [...diagnostics, ...own.diagnostics];
    }
    return diagnostics === params.diagnostics ? params : { ...params, diagnostics };
  }
}
