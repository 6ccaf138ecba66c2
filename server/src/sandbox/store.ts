/**
 * The in-memory resource store backed by the journal.
 *
 * What readers see, and what a write is checked against, is only what is durable. Writes run
 * one at a time (`write`): a write's checks and changes happen in a staging layer that only that
 * write sees; at its end the changes go to the journal as one append + fsync, and only once they
 * are on disk are they applied to the shared state. If the disk refuses them, the staging layer
 * is dropped and memory is as before: nothing unacknowledged was ever visible, and no 409 was
 * ever answered against a row that might not become durable. One fsync per write is cheap
 * (the append is small); Bulk and the seed are one write each, so one fsync for many operations.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ScimError } from './errors';
import { Layer, indexKey, type IndexedAttribute } from './indexes';
import { Journal, type Change, type JournalOpenOptions, type PersistedState, type StoredResource, type Transaction } from './journal';
import type { ReferenceAttribute, SandboxModel } from './model';

interface Staging {
  layer: Layer;
  txs: Transaction[];
  seq: number;
  /** Ids this write creates, for their creation ordinals. */
  created: string[];
}

export class Store {
  private readonly durable: Layer;
  /** id -> creation ordinal: lists come out in creation order whatever index found them. */
  private readonly ordinals = new Map<string, number>();
  private nextOrdinal = 0;
  private readonly staging = new AsyncLocalStorage<Staging>();
  /** The end of the queue of writes. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly state: PersistedState,
    private readonly journal: Journal,
    private readonly model: SandboxModel,
    /** True when the data directory held no data before this start (the seed runs then). */
    readonly fresh: boolean,
    /** What opening the data directory repaired (a torn last journal line), for the log. */
    readonly notes: string[],
  ) {
    this.durable = new Layer(model, state.resources);
    for (const byId of state.resources.values()) for (const id of byId.keys()) this.ordinals.set(id, this.nextOrdinal++);
  }

  static async open(dataDir: string, model: SandboxModel, options: JournalOpenOptions = {}): Promise<Store> {
    let store: Store | undefined;
    const { journal, state, fresh, notes } = await Journal.open(dataDir, () => store!.state, options);
    store = new Store(state, journal, model, fresh, notes);
    return store;
  }

  get(type: string, id: string): StoredResource | undefined {
    const s = this.staging.getStore();
    const staged = s?.layer.entry(type, id);
    if (staged !== undefined) return staged ?? undefined;
    return this.state.resources.get(type)?.get(id);
  }

  /** All resources of a type in creation order. */
  all(type: string): StoredResource[] {
    const durable = this.state.resources.get(type);
    const over = this.staging.getStore()?.layer.resources.get(type);
    if (!over?.size) return [...(durable?.values() ?? [])];
    const out: StoredResource[] = [];
    for (const [id, r] of durable ?? []) {
      const o = over.get(id);
      if (o === undefined) out.push(r);
      else if (o) out.push(o);
    }
    for (const [id, r] of over) if (r && !durable?.has(id)) out.push(r);
    return out;
  }

  /** How many resources of a type exist. */
  count(type: string): number {
    if (this.staging.getStore()?.layer.resources.get(type)?.size) return this.all(type).length;
    return this.state.resources.get(type)?.size ?? 0;
  }

  /** The resources of a type whose indexed attribute equals `value` (per its caseExact), in creation order. */
  find(type: string, attr: IndexedAttribute, value: string): StoredResource[] {
    const key = indexKey(attr, value);
    return this.merged(type, (layer) => layer.idsByValue(type, attr, key));
  }

  /** The resources of `type` that reference `target` through `ref`, in creation order. */
  referencing(type: string, ref: ReferenceAttribute, target: string): StoredResource[] {
    return this.merged(type, (layer) => layer.idsReferencing(type, ref, target));
  }

  /** Sorts resources of one type into creation order. */
  inCreationOrder(list: StoredResource[]): StoredResource[] {
    return list.sort((a, b) => (this.ordinals.get(a.id) ?? 0) - (this.ordinals.get(b.id) ?? 0));
  }

  private merged(type: string, ids: (layer: Layer) => ReadonlySet<string>): StoredResource[] {
    const s = this.staging.getStore();
    const out: StoredResource[] = [];
    for (const id of ids(this.durable)) {
      if (s?.layer.has(type, id)) continue; // the staged version decides
      const r = this.state.resources.get(type)?.get(id);
      if (r) out.push(r);
    }
    if (s) {
      for (const id of ids(s.layer)) {
        const r = s.layer.entry(type, id);
        if (r) out.push(r);
      }
    }
    return out.length > 1 ? this.inCreationOrder(out) : out;
  }

  /** The next version number; versions are unique across the store and survive restarts. */
  nextSeq(): number {
    return (this.staging.getStore()?.seq ?? this.state.seq) + 1;
  }

  /** Stages changes in the current write; they become visible to others once durable. */
  stage(changes: Change[]): void {
    const s = this.staging.getStore();
    if (!s) throw new Error('Store.stage outside Store.write');
    s.seq++;
    s.txs.push({ seq: s.seq, changes });
    for (const c of changes) {
      if (c.resource && !this.ordinals.has(c.id)) {
        this.ordinals.set(c.id, this.nextOrdinal++);
        s.created.push(c.id);
      }
      s.layer.put(c.type, c.id, c.resource);
    }
  }

  /**
   * Runs `work` as one write: after every write queued before it, its changes staged (visible
   * to `work` only), then made durable, then applied. Resolves only once they are durable;
   * rejects with 507 or 503 if the disk refused them, with nothing changed. Nested calls join
   * the enclosing write.
   */
  write<T>(work: () => Promise<T>): Promise<T> {
    if (this.staging.getStore()) return work();
    const run = this.tail.then(() => this.runWrite(work));
    this.tail = run.catch(() => {});
    return run;
  }

  private async runWrite<T>(work: () => Promise<T>): Promise<T> {
    const s: Staging = { layer: new Layer(this.model), txs: [], seq: this.state.seq, created: [] };
    const discard = () => {
      for (const id of s.created) this.ordinals.delete(id);
    };
    let result: T;
    try {
      result = await this.staging.run(s, work);
    } catch (e) {
      discard();
      throw e;
    }
    if (!s.txs.length) return result;
    try {
      await this.journal.append(s.txs);
    } catch (e) {
      discard();
      throw storageError(e);
    }
    for (const tx of s.txs) {
      for (const c of tx.changes) {
        if (c.resource) this.durable.put(c.type, c.id, c.resource);
        else {
          this.durable.remove(c.type, c.id);
          this.ordinals.delete(c.id);
        }
      }
    }
    this.state.seq = s.seq;
    if (this.journal.wantsCompaction) {
      // Compaction is an optimisation; the journal still holds everything. Retried next time.
      await this.journal.compact().catch(() => {});
    }
    return result;
  }

  async close(): Promise<void> {
    await this.tail;
    await this.journal.close();
  }
}

/** What a client is told when the disk refused a write: nothing was changed, try again later. */
function storageError(e: unknown): ScimError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    const why = code === 'EFBIG' ? 'the journal reached the file-size limit' : 'the disk is full';
    return new ScimError(507, undefined, `The sandbox could not store the change: ${why} (${code}). Nothing was changed.`);
  }
  return new ScimError(503, undefined, `The sandbox could not store the change (${code || (e as Error).message}). Nothing was changed.`, {
    'Retry-After': '5',
  });
}
