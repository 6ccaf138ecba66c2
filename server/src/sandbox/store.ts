/**
 * The in-memory resource store backed by the journal. Mutations are applied to memory
 * synchronously (so checks and writes of one request cannot interleave with another's) and
 * acknowledged only after the journal has made them durable.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Journal, applyChanges, type Change, type JournalOptions, type PersistedState, type StoredResource } from './journal';

export class Store {
  private constructor(
    private readonly state: PersistedState,
    private readonly journal: Journal | undefined,
    /** True when the data directory held no data before this start (the seed runs then). */
    readonly fresh: boolean,
  ) {}

  static async open(dataDir: string, options: JournalOptions = {}): Promise<Store> {
    let store: Store | undefined;
    const { journal, state, fresh } = await Journal.open(dataDir, () => store!.state, options);
    store = new Store(state, journal, fresh);
    return store;
  }

  get(type: string, id: string): StoredResource | undefined {
    return this.state.resources.get(type)?.get(id);
  }

  /** All resources of a type in creation order. */
  all(type: string): StoredResource[] {
    return [...(this.state.resources.get(type)?.values() ?? [])];
  }

  /** The next version number; versions are unique across the store and survive restarts. */
  nextSeq(): number {
    return this.state.seq + 1;
  }

  /** Applies the changes now and resolves when they are durable. */
  commit(changes: Change[]): Promise<void> {
    const tx = { seq: this.state.seq + 1, changes };
    applyChanges(this.state, tx);
    if (this.batch) {
      this.batch.push(...changes);
      return Promise.resolve();
    }
    const durable = this.journal ? this.journal.commit(tx) : Promise.resolve();
    const group = this.group.getStore();
    if (!group) return durable;
    // Inside deferDurability: queued on the journal now (so order is kept), awaited at the end.
    durable.catch(() => {}); // handled by the group's Promise.all
    group.push(durable);
    return Promise.resolve();
  }

  private readonly group = new AsyncLocalStorage<Promise<void>[]>();

  /**
   * Runs `work` so that the commits it makes (and only those: other requests running meanwhile
   * are not affected) do not wait for the disk one by one; they are queued on the journal in
   * order, grouped into as few fsyncs as the journal manages, and this resolves only after all
   * of them are durable. Nothing `work` did may be acknowledged before this resolves. Used by
   * Bulk, whose operations would otherwise pay one fsync each, in sequence.
   */
  async deferDurability<T>(work: () => Promise<T>): Promise<T> {
    if (this.group.getStore()) return work();
    const pending: Promise<void>[] = [];
    let result: T;
    try {
      result = await this.group.run(pending, work);
    } finally {
      // Even when work fails, what it committed must be durable (or have failed) before return.
      await Promise.allSettled(pending);
    }
    await Promise.all(pending);
    return result;
  }

  private batch: Change[] | undefined;

  /**
   * Runs `work` with its commits held back, then writes them as one journal transaction, so
   * the seed lands whole or not at all. If `work` throws, nothing reaches the disk (the
   * in-memory state is then stale and the caller must discard this store).
   */
  async atomically(work: () => Promise<void>): Promise<void> {
    if (this.batch) throw new Error('nested atomically()');
    this.batch = [];
    let changes: Change[];
    try {
      await work();
    } finally {
      changes = this.batch;
      this.batch = undefined;
    }
    if (changes.length && this.journal) await this.journal.commit({ seq: this.state.seq, changes });
  }

  compact(): Promise<void> {
    return this.journal ? this.journal.compact() : Promise.resolve();
  }

  close(): Promise<void> {
    return this.journal ? this.journal.close() : Promise.resolve();
  }
}
