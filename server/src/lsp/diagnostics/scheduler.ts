import type { Connection, Diagnostic } from 'vscode-languageserver';
import { toDiagnostic } from '../convert';
import type { Finding } from '../../rules/types';
import { STATUS_NOTIFICATION, type StatusParams } from '../protocol';
import type { ServerState } from '../state';
import type { DiagnosticsPublisher } from './publisher';
import { drain, ValidationQueue } from './queue';

export const DEFAULT_DIAGNOSTICS_DELAY_MS = 150;

/**
 * Lint's diagnostics, as the user types. Each change of a document is debounced per URI; when the timer fires the
 * document is validated (its own rules for its version, the cross-file rules for its
 * resources) and published before any other work: background work (the workspace scan, files
 * changed on disk, and a sweep over every file after a change that can alter other files'
 * cross-file findings) runs in small slices around it (./queue). A file whose document
 * moved on before it could publish is skipped (the newer change has its own run), and a
 * publication carries the version of the text its findings and positions come from. What was
 * published is the publisher's (./publisher), which merges lint's list with the other sources'.
 */
export class DiagnosticsScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly queue = new ValidationQueue();
  private running: Promise<void> = Promise.resolve();
  private draining = false;
  private disposed = false;
  /** The cross-file epoch every file was last swept at. */
  private sweptEpoch: string;
  /** While the workspace is being indexed, sweeps wait for the scan to finish. */
  private indexing = false;

  constructor(
    private readonly connection: Connection,
    private readonly state: ServerState,
    private readonly publisher: DiagnosticsPublisher,
    private readonly delayMs = DEFAULT_DIAGNOSTICS_DELAY_MS,
  ) {
    this.sweptEpoch = state.crossEpoch;
  }

  /** Debounced validation of one file, ahead of background work. */
  schedule(uri: string): void {
    if (this.disposed) return;
    const previous = this.timers.get(uri);
    if (previous) clearTimeout(previous);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.validateFirst(uri);
      }, this.delayMs),
    );
  }

  /** Validates a file now, before any background work (a document just opened). */
  validateFirst(uri: string): void {
    if (this.disposed) return;
    this.queue.addUrgent(uri);
    void this.run();
  }

  /** Queues files for validation in the background: the given files, or every file of the index. */
  runNow(uris?: readonly string[]): Promise<void> {
    // Every file is queued: that is a sweep already.
    if (!uris) this.sweptEpoch = this.state.crossEpoch;
    for (const uri of uris ?? this.state.index.uris()) {
      if (this.state.documents.get(uri)) this.queue.addUrgent(uri);
      else this.queue.addBackground(uri);
    }
    return this.run();
  }

  /** Holds back sweeps over the whole workspace while it is being indexed (each would be redone). */
  setIndexing(indexing: boolean): void {
    this.indexing = indexing;
  }

  /** Clears a file's diagnostics (closed and gone from the workspace). */
  clear(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    this.queue.delete(uri);
    void this.publisher.clear(uri);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private run(): Promise<void> {
    // One drain at a time; work queued while it runs is picked up by it.
    if (this.draining) return this.running;
    this.draining = true;
    const started = performance.now();
    let files = 0;
    this.running = drain(this.queue, {
      urgent: (uri, queuedAt) => {
        files++;
        return this.publish(uri, true, queuedAt);
      },
      background: (uri) => {
        files++;
        return this.publish(uri, false, performance.now());
      },
      refill: () => {
        if (this.indexing || this.state.crossEpoch === this.sweptEpoch) return;
        // Another file's cross-file findings may have changed: look at every file once more.
        this.sweptEpoch = this.state.crossEpoch;
        for (const uri of this.state.index.uris()) this.queue.addBackground(uri);
      },
      stopped: () => this.disposed,
    })
      .catch((e) => this.connection.console.error(`Validation failed: ${(e as Error).stack ?? e}`))
      .finally(() => {
        this.draining = false;
        const total = performance.now() - started;
        if (total > 500) this.connection.console.log(`Validated ${files} file(s) in ${Math.round(total)} ms.`);
      });
    return this.running;
  }

  /** Computes a file's findings and publishes them when they changed. */
  private async publish(uri: string, isChanged: boolean, started: number): Promise<void> {
    const analysis = this.state.analysis(uri);
    if (!analysis) {
      if (this.publisher.last('lint', uri)) this.clear(uri);
      return;
    }
    // Findings first: computing them brings the file up to its document's version; the positions
    // and the version published are those of the analysis the findings were computed on.
    const findings = this.state.findings(uri);
    const current = this.state.index.get(uri) ?? analysis;
    const doc = this.state.documents.get(uri);
    if (doc && current.version !== doc.version) return; // moved on: its change has its own run
    const before = this.publisher.last('lint', uri);
    const text = current.manifest.text;
    // A file that did not change, with the same findings on the same text, shows the same
    // diagnostics: skip converting positions and comparing them.
    if (!isChanged && before?.findings && before.text === text && sameFindings(before.findings, findings)) return;
    const diagnostics: Diagnostic[] = findings.map((f) => toDiagnostic(current.manifest.lines, f));
    const list = { diagnostics, text, findings, ...(current.version !== undefined ? { version: current.version } : {}) };
    if (!isChanged && before && JSON.stringify(before.diagnostics) === JSON.stringify(diagnostics)) return this.publisher.keep(uri, list);
    await this.publisher.set('lint', uri, list);
    // The server's own time: from the file's turn being due (queued) to this publication,
    // waiting behind a background slice included (the debounce before it is not).
    const durationMs = performance.now() - started;
    if (doc && isChanged) {
      const first = current.resources[0];
      await this.connection.sendNotification(STATUS_NOTIFICATION, {
        uri,
        profile: first?.profile.id ?? (this.state.settingsFor(uri).profile === 'auto' ? 'abbey-00' : this.state.settingsFor(uri).profile),
        durationMs: Math.round(durationMs * 10) / 10,
        resources: current.resources.length,
      } satisfies StatusParams);
      // The document's line offsets, which TextDocuments computes at its first edit (10 ms at
      // 65,000 lines, on the first keystroke after opening), and the parse's own, which it finds
      // at its first question: now, once the diagnostics are out, not on the first keystroke.
      void doc.lineCount;
      void current.manifest.lines.lineCount;
      this.state.rehearseEdit(uri);
    }
  }
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
