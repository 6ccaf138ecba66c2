/**
 * The one publisher of `textDocument/publishDiagnostics`. LSP keeps one list of diagnostics per
 * document and server, and several sources fill it: lint (the scheduler, as the user types),
 * provisioning results (plan, apply, deprovision) and the server-backed checks (owners against
 * the connected server's directory, on save or on command). Each source sets or clears its own
 * list of a file here, and the file is published again with every source's list.
 *
 * Lint's list carries the version of the text it was computed for (the scheduler never sets one
 * for a document that has moved on: Flow 1 in ARCHITECTURE.md). Every list is tied to the text
 * it was computed for: a list whose text is no longer the file's (an edit moved its ranges) is
 * dropped at the next publication, until its source sets it again. So typing never waits on
 * the network, and a provisioning result never points at the wrong line.
 */
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import type { Finding } from '../../rules/types';

export type DiagnosticSource = 'lint' | 'provision' | 'server';

/** `Diagnostic.source` of the sources other than lint (whose diagnostics carry the rule's source), so that lint's quick fixes never touch them. */
export const PROVISION_SOURCE = 'scim-agents-provision';
export const SERVER_CHECK_SOURCE = 'scim-agents-server';

export interface SourceList {
  diagnostics: Diagnostic[];
  /** The file's text the diagnostics were computed for. */
  text: string;
  /** The document version of that text (lint: the one published). */
  version?: number;
  /** Lint: the findings the diagnostics were converted from, so that an unchanged file is not converted again. */
  findings?: readonly Finding[];
}

export class DiagnosticsPublisher {
  /** uri -> source -> its list. */
  private readonly files = new Map<string, Map<DiagnosticSource, SourceList>>();

  constructor(
    private readonly send: (params: PublishDiagnosticsParams) => Promise<void>,
    /** The file's current text (undefined when the server no longer knows it). */
    private readonly currentText: (uri: string) => string | undefined,
  ) {}

  /** What a source last set for a file. */
  last(source: DiagnosticSource, uri: string): Readonly<SourceList> | undefined {
    return this.files.get(uri)?.get(source);
  }

  /** Files a source has diagnostics for now. */
  uris(source: DiagnosticSource): string[] {
    return [...this.files].filter(([, sources]) => sources.has(source)).map(([uri]) => uri);
  }

  /**
   * Replaces a source's list of a file and publishes the file. An empty list clears the source;
   * clearing a source that had nothing publishes nothing, except for lint, whose every run is a
   * publication.
   */
  async set(source: DiagnosticSource, uri: string, list: SourceList): Promise<void> {
    let sources = this.files.get(uri);
    if (source !== 'lint' && list.diagnostics.length === 0) {
      if (!sources?.delete(source)) return;
    } else {
      if (!sources) this.files.set(uri, (sources = new Map()));
      sources.set(source, list);
    }
    await this.publish(uri);
  }

  /** Remembers lint's list without publishing it (a background run found the same diagnostics). */
  keep(uri: string, list: SourceList): void {
    let sources = this.files.get(uri);
    if (!sources) this.files.set(uri, (sources = new Map()));
    sources.set('lint', list);
  }

  /** Every source's diagnostics of a file are gone (closed and gone from the workspace). */
  async clear(uri: string): Promise<void> {
    this.files.delete(uri);
    await this.send({ uri, diagnostics: [] });
  }

  private async publish(uri: string): Promise<void> {
    const sources = this.files.get(uri);
    const lint = sources?.get('lint');
    const text = this.currentText(uri);
    let diagnostics = lint?.diagnostics ?? [];
    for (const [source, list] of sources ?? []) {
      if (source === 'lint') continue;
      if (list.text !== text) sources!.delete(source);
      else diagnostics = [...diagnostics, ...list.diagnostics];
    }
    await this.send({ uri, diagnostics, ...(lint?.version !== undefined ? { version: lint.version } : {}) });
  }
}
