import type { Connection, Diagnostic } from 'vscode-languageserver';
import { toDiagnostic } from './convert';
import type { Finding } from '../rules/types';
import type { FileAnalysis } from '../workspace/index';
import type { ServerState } from './state';
import { StatusNotification } from './status';

export const DEFAULT_DIAGNOSTICS_DELAY_MS = 150;

/**
 * Pushes diagnostics. Each change of a document is debounced per URI; when the timer fires the
 * document's own rules run (for its version only) and the cross-file rules rerun over the
 * index, and every file whose diagnostics changed is republished. Runs are serialised; a run
 * whose document moved on before it could publish is dropped (the newer change has its own),
 * and a publication carries the version of the text its findings and positions come from.
 */
export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly dirty = new Set<string>();
  /** What each file's last publication showed: the analysis, its findings and diagnostics. */
  private readonly published = new Map<string, Published>();
  private running: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly connection: Connection,
    private readonly state: ServerState,
    private readonly delayMs = DEFAULT_DIAGNOSTICS_DELAY_MS,
  ) {}

  /** Debounced validation of one file (and the cross-file rules). */
  schedule(uri: string): void {
    if (this.disposed) return;
    const previous = this.timers.get(uri);
    if (previous) clearTimeout(previous);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.dirty.add(uri);
        void this.run();
      }, this.delayMs),
    );
  }

  /** Validates now: the given files, or every file of the index when none is given. */
  runNow(uris?: readonly string[]): Promise<void> {
    for (const uri of uris ?? this.state.index.uris()) this.dirty.add(uri);
    return this.run();
  }

  /** Clears a file's diagnostics (closed and gone from the workspace). */
  clear(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.published.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private run(): Promise<void> {
    this.running = this.running.then(() => this.validate()).catch((e) => this.connection.console.error(`Validation failed: ${(e as Error).stack ?? e}`));
    return this.running;
  }

  private async validate(): Promise<void> {
    if (this.dirty.size === 0 || this.disposed) return;
    const changed = [...this.dirty];
    this.dirty.clear();
    const started = performance.now();
    const versions = new Map<string, number | undefined>();
    for (const uri of changed) {
      const analysis = this.state.analysis(uri);
      if (!analysis) continue;
      versions.set(uri, this.state.documents.get(uri)?.version);
      this.state.localFindings(uri);
      // Let queued edits arrive between files, so a long run never blocks the connection.
      if (changed.length > 1) await yieldToEventLoop();
    }
    await yieldToEventLoop();
    if (this.disposed) return;
    const stale = (uri: string) => {
      const doc = this.state.documents.get(uri);
      return doc !== undefined && versions.has(uri) && doc.version !== versions.get(uri);
    };
    const cross = this.state.crossFileFindings();

    const targets = new Set<string>([...changed, ...cross.keys(), ...this.published.keys()]);
    for (const uri of targets) {
      if (stale(uri)) continue; // its newer version is scheduled already
      if (!this.state.index.get(uri)) {
        if (this.published.has(uri)) this.clear(uri);
        continue;
      }
      // Findings first: computing them brings the file up to its document's version, and the
      // positions must be those of the text they were computed on. A document that moved on
      // during an await of this run (an edit that arrived while a publication was written) is
      // re-read here, never converted with its older text's lines.
      const findings = this.state.findings(uri);
      const analysis = this.state.index.get(uri)!;
      const doc = this.state.documents.get(uri);
      if (doc && analysis.version !== doc.version) continue; // scheduled by its change
      const isChanged = versions.has(uri);
      const before = this.published.get(uri);
      // A file that did not change, with the same findings on the same text, shows the same
      // diagnostics: skip converting positions and comparing them.
      if (!isChanged && before && before.analysis === analysis && sameFindings(before.findings, findings)) continue;
      const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(analysis.manifest.lines, f));
      if (!isChanged && before && JSON.stringify(before.diagnostics) === JSON.stringify(diagnostics)) {
        this.published.set(uri, { analysis, findings, diagnostics });
        continue;
      }
      this.published.set(uri, { analysis, findings, diagnostics });
      await this.connection.sendDiagnostics({ uri, diagnostics, ...(analysis.version !== undefined ? { version: analysis.version } : {}) });
      // The server's own time: from the start of the run to this publication, serialisation
      // included (the debounce before the run is not).
      const durationMs = performance.now() - started;
      if (doc && isChanged) {
        const first = analysis.resources[0];
        await this.connection.sendNotification(StatusNotification, {
          uri,
          profile: first?.profile.id ?? (this.state.settings.profile === 'auto' ? 'abbey-00' : this.state.settings.profile),
          durationMs: Math.round(durationMs * 10) / 10,
          resources: analysis.resources.length,
        });
      }
    }
    const total = performance.now() - started;
    if (total > 500) this.connection.console.log(`Validated ${changed.length} file(s) in ${Math.round(total)} ms.`);
  }
}

interface Published {
  analysis: FileAnalysis;
  findings: readonly Finding[];
  diagnostics: Diagnostic[];
}

function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.code !== y.code || x.severity !== y.severity || x.message !== y.message || x.span.start !== y.span.start || x.span.end !== y.span.end) return false;
    if (x.data !== y.data && JSON.stringify(x.data) !== JSON.stringify(y.data)) return false;
  }
  return true;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
