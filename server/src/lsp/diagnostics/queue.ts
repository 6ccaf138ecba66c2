/**
 * The order of validation work: files the user is looking at first, the rest of the workspace
 * in small slices between which the event loop turns (so an edit that arrives meanwhile is
 * read, queued as urgent and served before the next slice). Only ordering lives here; what a
 * unit of work does is the caller's.
 */

/** How long one background slice may run before yielding to the event loop. */
export const SLICE_MS = 8;

export class ValidationQueue {
  /** Urgent file -> when it was queued (its wait counts in its reported time). */
  private readonly urgent = new Map<string, number>();
  private readonly background = new Set<string>();

  /** Queues a file the user is looking at: served before any background work. */
  addUrgent(uri: string): void {
    this.background.delete(uri);
    if (!this.urgent.has(uri)) this.urgent.set(uri, performance.now());
  }

  addBackground(uri: string): void {
    if (!this.urgent.has(uri)) this.background.add(uri);
  }

  delete(uri: string): void {
    this.urgent.delete(uri);
    this.background.delete(uri);
  }

  get hasUrgent(): boolean {
    return this.urgent.size > 0;
  }

  get hasBackground(): boolean {
    return this.background.size > 0;
  }

  takeUrgent(): { uri: string; queuedAt: number } | undefined {
    for (const [uri, queuedAt] of this.urgent) {
      this.urgent.delete(uri);
      return { uri, queuedAt };
    }
    return undefined;
  }

  takeBackground(): string | undefined {
    for (const uri of this.background) {
      this.background.delete(uri);
      return uri;
    }
    return undefined;
  }
}

/**
 * Runs queued work until none is left: every urgent file as soon as it is seen, background
 * files in slices of `sliceMs`, yielding between slices; `refill` may queue more background
 * work when the queue runs dry (a sweep after a cross-file change). Stops when `stopped()`.
 */
export async function drain(
  queue: ValidationQueue,
  work: { urgent(uri: string, queuedAt: number): Promise<void>; background(uri: string): Promise<void>; refill(): void; stopped(): boolean },
  sliceMs = SLICE_MS,
): Promise<void> {
  for (;;) {
    if (work.stopped()) return;
    for (let next = queue.takeUrgent(); next && !work.stopped(); next = queue.takeUrgent()) await work.urgent(next.uri, next.queuedAt);
    if (!queue.hasBackground) work.refill();
    if (!queue.hasBackground) return;
    const deadline = performance.now() + sliceMs;
    while (!queue.hasUrgent && performance.now() < deadline && !work.stopped()) {
      const uri = queue.takeBackground();
      if (uri === undefined) break;
      await work.background(uri);
    }
    await yieldToEventLoop();
  }
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
