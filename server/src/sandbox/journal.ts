/**
 * Crash-safe persistence: a snapshot plus a write-ahead journal in the data directory.
 *
 * - Every committed transaction is one JSON line appended to `journal.ndjson` and fsync'ed
 *   before the HTTP response goes out, so an acknowledged write survives SIGKILL or power loss.
 *   Concurrent commits are grouped into one append + one fsync (group commit).
 * - When the journal grows past a threshold it is compacted: the whole state goes to
 *   `snapshot.json.tmp`, which is fsync'ed, renamed over `snapshot.json`, and the directory is
 *   fsync'ed; only then is the journal truncated. Each journal line carries a sequence number
 *   and the snapshot records the last one it contains, so a crash between the rename and the
 *   truncation replays nothing twice.
 * - On load, a torn last line (a crash mid-append, never acknowledged) is cut off; a damaged
 *   line anywhere else, or a damaged snapshot, stops the start instead of silently losing data.
 *
 * Snapshot-per-write was rejected: it rewrites the whole store on every request, so its cost
 * grows with the store, while an append + fsync stays constant.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const SNAPSHOT_FILE = 'snapshot.json';
export const JOURNAL_FILE = 'journal.ndjson';
const FORMAT = 1;

/** A stored resource: the canonical JSON object, meta included (without location). */
export type StoredResource = Record<string, unknown> & { id: string };

/** One change: put (resource) or delete (null) of a resource of a resource type. */
export interface Change {
  type: string;
  id: string;
  resource: StoredResource | null;
}

export interface Transaction {
  seq: number;
  changes: Change[];
}

export interface PersistedState {
  seq: number;
  /** resource type name → id → resource, in creation order. */
  resources: Map<string, Map<string, StoredResource>>;
}

export interface JournalOptions {
  /** Compact when the journal exceeds this many bytes. */
  compactBytes?: number;
}

export function applyChanges(state: PersistedState, tx: Transaction): void {
  for (const c of tx.changes) {
    let byId = state.resources.get(c.type);
    if (!byId) state.resources.set(c.type, (byId = new Map()));
    if (c.resource) byId.set(c.id, c.resource);
    else byId.delete(c.id);
  }
  state.seq = Math.max(state.seq, tx.seq);
}

export class Journal {
  private pending: { line: string; resolve: () => void; reject: (e: unknown) => void }[] = [];
  /** True while flushLoop runs; set and cleared synchronously (see commit). */
  private flushing = false;
  private flushed: Promise<void> = Promise.resolve();
  private bytes: number;
  private failed: unknown;

  private constructor(
    private readonly dir: string,
    private handle: fs.FileHandle,
    size: number,
    private readonly getState: () => PersistedState,
    private readonly compactBytes: number,
  ) {
    this.bytes = size;
  }

  /** Reads snapshot + journal (repairing a torn tail) and opens the journal for appending. */
  static async open(
    dir: string,
    getState: () => PersistedState,
    options: JournalOptions = {},
  ): Promise<{ journal: Journal; state: PersistedState; fresh: boolean }> {
    await fs.mkdir(dir, { recursive: true });
    await fs.rm(path.join(dir, SNAPSHOT_FILE + '.tmp'), { force: true });
    const state: PersistedState = { seq: 0, resources: new Map() };
    let fresh = true;

    const snapText = await readIfExists(path.join(dir, SNAPSHOT_FILE));
    if (snapText !== undefined) {
      fresh = false;
      loadSnapshot(snapText, state, dir);
    }
    const journalPath = path.join(dir, JOURNAL_FILE);
    const buf = await readBufferIfExists(journalPath);
    let validLength = 0;
    if (buf !== undefined) {
      validLength = replay(buf, state, journalPath);
      if (validLength > 0) fresh = false;
    }
    const handle = await fs.open(journalPath, 'a+');
    if (buf !== undefined && validLength < buf.length) {
      await handle.truncate(validLength);
      await handle.sync();
    }
    if (buf === undefined) await fsyncDir(dir);
    const journal = new Journal(dir, handle, validLength, getState, options.compactBytes ?? 4 * 1024 * 1024);
    return { journal, state, fresh };
  }

  /** Resolves once the transaction is durable on disk. */
  commit(tx: Transaction): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    const line = JSON.stringify(tx) + '\n';
    return new Promise((resolve, reject) => {
      this.pending.push({ line, resolve, reject });
      // The flag is cleared inside flushLoop itself, in the same tick as its last check of
      // `pending`: clearing it in a .finally() callback would leave a window in which a commit
      // queues behind a loop that has already ended, and would wait for the next write.
      if (!this.flushing) {
        this.flushing = true;
        this.flushed = this.flushLoop();
      }
    });
  }

  private async flushLoop(): Promise<void> {
    for (;;) {
      if (!this.pending.length) {
        this.flushing = false; // synchronously with the check above, see commit()
        return;
      }
      const batch = this.pending;
      this.pending = [];
      try {
        const data = Buffer.from(batch.map((b) => b.line).join(''), 'utf8');
        await this.handle.write(data);
        await this.handle.datasync();
        this.bytes += data.length;
        for (const b of batch) b.resolve();
      } catch (e) {
        // The disk no longer matches memory: refuse further writes rather than acknowledge them.
        this.failed = e;
        for (const b of batch) b.reject(e);
        for (const b of this.pending.splice(0)) b.reject(e);
        this.flushing = false;
        return;
      }
      if (this.bytes > this.compactBytes) {
        try {
          await this.compact();
        } catch {
          // Compaction is an optimisation; the journal still holds everything. Retry next time.
        }
      }
    }
  }

  /** Writes the full state as a snapshot, then empties the journal. */
  async compact(): Promise<void> {
    const state = this.getState();
    const tmp = path.join(this.dir, SNAPSHOT_FILE + '.tmp');
    const text = serializeSnapshot(state);
    const h = await fs.open(tmp, 'w', 0o600);
    try {
      await h.writeFile(text, 'utf8');
      await h.sync();
    } finally {
      await h.close();
    }
    await fs.rename(tmp, path.join(this.dir, SNAPSHOT_FILE));
    await fsyncDir(this.dir);
    await this.handle.truncate(0);
    await this.handle.sync();
    this.bytes = 0;
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushed;
    await this.handle.close();
  }
}

function serializeSnapshot(state: PersistedState): string {
  const resources: Record<string, StoredResource[]> = {};
  for (const [type, byId] of state.resources) resources[type] = [...byId.values()];
  return JSON.stringify({ format: FORMAT, seq: state.seq, resources });
}

function loadSnapshot(text: string, state: PersistedState, dir: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`The sandbox snapshot in ${dir} is damaged (not JSON); refusing to start.`);
  }
  const snap = parsed as { format?: unknown; seq?: unknown; resources?: unknown };
  if (!snap || snap.format !== FORMAT || typeof snap.seq !== 'number' || typeof snap.resources !== 'object' || !snap.resources) {
    throw new Error(`The sandbox snapshot in ${dir} has an unknown format; refusing to start.`);
  }
  state.seq = snap.seq;
  for (const [type, list] of Object.entries(snap.resources as Record<string, unknown>)) {
    if (!Array.isArray(list)) throw new Error(`The sandbox snapshot in ${dir} is damaged (${type}).`);
    const byId = new Map<string, StoredResource>();
    for (const r of list) {
      if (!isStoredResource(r)) throw new Error(`The sandbox snapshot in ${dir} holds a resource without an id.`);
      byId.set(r.id, r);
    }
    state.resources.set(type, byId);
  }
}

/** Applies journal lines newer than the snapshot; returns the byte length of the intact prefix. */
function replay(buf: Buffer, state: PersistedState, file: string): number {
  let offset = 0;
  while (offset < buf.length) {
    const nl = buf.indexOf(0x0a, offset);
    if (nl === -1) return offset; // torn tail: never acknowledged
    const line = buf.subarray(offset, nl).toString('utf8');
    let tx: Transaction | undefined;
    try {
      tx = JSON.parse(line) as Transaction;
    } catch {
      tx = undefined;
    }
    if (!tx || typeof tx.seq !== 'number' || !Array.isArray(tx.changes)) {
      throw new Error(`The sandbox journal ${file} is damaged at byte ${offset}; refusing to start.`);
    }
    if (tx.seq > state.seq) applyChanges(state, tx);
    offset = nl + 1;
  }
  return offset;
}

function isStoredResource(r: unknown): r is StoredResource {
  return typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string';
}

async function readIfExists(file: string): Promise<string | undefined> {
  const b = await readBufferIfExists(file);
  return b?.toString('utf8');
}

async function readBufferIfExists(file: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Makes a rename or a file creation in `dir` durable (POSIX needs the directory fsync'ed). */
async function fsyncDir(dir: string): Promise<void> {
  let h: fs.FileHandle | undefined;
  try {
    h = await fs.open(dir, 'r');
    await h.sync();
  } catch (e) {
    // Some platforms (Windows) cannot open a directory; the rename is still atomic there.
    if (!['EISDIR', 'EPERM', 'EACCES'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await h?.close();
  }
}
