/**
 * Crash-safe persistence: a snapshot plus a write-ahead journal in the data directory.
 *
 * - Every committed transaction is one JSON line appended to `journal.ndjson` and fsync'ed
 *   before the HTTP response goes out, so an acknowledged write survives SIGKILL or power loss.
 *   A short or failed write (a file-size limit, a full disk) is never acknowledged: the file is
 *   cut back to its last whole line and the append rejects.
 * - When the journal grows past a threshold it is compacted: the whole state goes to
 *   `snapshot.json.tmp`, which is fsync'ed, renamed over `snapshot.json`, and the directory is
 *   fsync'ed; only then is the journal truncated. Each journal line carries a sequence number
 *   and the snapshot records the last one it contains, so a crash between the rename and the
 *   truncation replays nothing twice.
 * - On load, a torn last line (a crash mid-append, never acknowledged) is cut off and reported;
 *   a damaged line anywhere else, or a damaged snapshot, stops the start instead of silently
 *   losing data.
 *
 * Snapshot-per-write was rejected: it rewrites the whole store on every request, so its cost
 * grows with the store, while an append + fsync stays constant.
 */
import fs from 'node:fs/promises';
import { constants as fsConstants } from 'node:fs';
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

/**
 * Writes one buffer at the journal's end; resolves with how much was written (possibly less than
 * asked, as a write crossing a file-size limit or filling the disk does). Replaceable so that tests
 * can put a fault (a short write, ENOSPC) in front of the real write where the machine cannot
 * make the fault itself.
 */
export type JournalWrite = (handle: fs.FileHandle, data: Buffer, offset: number, length: number) => Promise<number>;

const realWrite: JournalWrite = async (handle, data, offset, length) => (await handle.write(data, offset, length)).bytesWritten;

export interface JournalOpenOptions extends JournalOptions {
  write?: JournalWrite;
}

/**
 * Appends transactions. The caller (Store) serialises appends; each one is whole and durable
 * when it resolves, or the file is put back to its last whole line and it rejects.
 */
export class Journal {
  private bytes: number;
  /** Set when the file could not be put back after a failed append: no more writes. */
  private broken: Error | undefined;

  private constructor(
    private readonly dir: string,
    private readonly handle: fs.FileHandle,
    size: number,
    private readonly getState: () => PersistedState,
    private readonly compactBytes: number,
    private readonly write: JournalWrite,
  ) {
    this.bytes = size;
  }

  /**
   * Reads snapshot + journal and opens the journal for appending. A torn last line (a crash
   * mid-append: never acknowledged) is cut off and reported in `notes`.
   */
  static async open(
    dir: string,
    getState: () => PersistedState,
    options: JournalOpenOptions = {},
  ): Promise<{ journal: Journal; state: PersistedState; fresh: boolean; notes: string[] }> {
    await fs.mkdir(dir, { recursive: true });
    await fs.rm(path.join(dir, SNAPSHOT_FILE + '.tmp'), { force: true });
    const state: PersistedState = { seq: 0, resources: new Map() };
    const notes: string[] = [];
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
    const handle = await fs.open(journalPath, 'a+', 0o600);
    if (buf !== undefined && validLength < buf.length) {
      await handle.truncate(validLength);
      await handle.sync();
      notes.push(
        `The journal ${journalPath} ended in an incomplete line (${buf.length - validLength} bytes from an interrupted write, never acknowledged); it was cut off at byte ${validLength}.`,
      );
    }
    if (buf === undefined) await fsyncDir(dir);
    const journal = new Journal(dir, handle, validLength, getState, options.compactBytes ?? 4 * 1024 * 1024, options.write ?? realWrite);
    return { journal, state, fresh, notes };
  }

  /** Resolves once every transaction is whole and durable on disk; rejects having written none. */
  async append(txs: Transaction[]): Promise<void> {
    if (this.broken) throw this.broken;
    const data = Buffer.from(txs.map((tx) => JSON.stringify(tx) + '\n').join(''), 'utf8');
    try {
      // A write may be short (a file-size limit, a nearly full disk): write the rest until it
      // is all there or the system says why not.
      for (let done = 0; done < data.length;) {
        const n = await this.write(this.handle, data, done, data.length - done);
        if (!(n > 0)) throw Object.assign(new Error('the journal write made no progress'), { code: 'EIO' });
        done += n;
      }
      await this.handle.datasync();
    } catch (e) {
      // Part of the line may be on disk: cut the file back to its last whole line, so that a
      // full disk never leaves a torn line in the middle of the journal.
      try {
        await this.handle.truncate(this.bytes);
        await this.handle.datasync();
      } catch (t) {
        this.broken = Object.assign(new Error(`the journal could not be repaired after a failed write: ${(t as Error).message}`), {
          code: (t as NodeJS.ErrnoException).code,
        });
      }
      throw e;
    }
    this.bytes += data.length;
  }

  /** Whether the journal has grown enough that the state should be compacted into a snapshot. */
  get wantsCompaction(): boolean {
    return this.bytes > this.compactBytes;
  }

  /** Writes the full state as a snapshot, then empties the journal. */
  async compact(): Promise<void> {
    const state = this.getState();
    const tmp = path.join(this.dir, SNAPSHOT_FILE + '.tmp');
    const text = serializeSnapshot(state);
    try {
      const h = await fs.open(tmp, 'w', 0o600);
      try {
        await h.writeFile(text, 'utf8');
        await h.sync();
      } finally {
        await h.close();
      }
      await fs.rename(tmp, path.join(this.dir, SNAPSHOT_FILE));
    } catch (e) {
      // A full disk: the old snapshot and the journal still hold everything.
      await fs.rm(tmp, { force: true }).catch(() => {});
      throw e;
    }
    await fsyncDir(this.dir);
    await this.handle.truncate(0);
    await this.handle.sync();
    this.bytes = 0;
  }

  async close(): Promise<void> {
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
  for (let lineNo = 1; offset < buf.length; lineNo++) {
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
      // A whole line (it ends in a newline) that does not parse is not an interrupted write but
      // damage; starting would silently drop it and what follows.
      throw new Error(
        `The sandbox journal ${file} is damaged at byte ${offset} (line ${lineNo}: a complete line, so not an interrupted write); refusing to start rather than lose data. ` +
          'Restore the data directory from a backup, or remove the damaged line by hand if losing it is acceptable.',
      );
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

/**
 * The most the sandbox reads of its journal or snapshot: far above a realistic fleet (10,000
 * agents journal about 30 MB), far below what would exhaust the process.
 */
export const MAX_DATA_FILE_BYTES = 1024 * 1024 * 1024;

/**
 * A data file, or undefined when there is none. Only a regular file is read (a data folder in a
 * cloned repository could hold a link to /dev/zero or a FIFO), opened without blocking, and at
 * most MAX_DATA_FILE_BYTES of it, whatever its size claims: anything else is an error that stops
 * the start with the data untouched, never a read without end.
 */
async function readBufferIfExists(file: string): Promise<Buffer | undefined> {
  let h: fs.FileHandle;
  try {
    h = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const stat = await h.stat();
    if (!stat.isFile()) throw new Error(`${file} is not a regular file (a device, FIFO or socket); the sandbox reads its data only from regular files.`);
    const tooLarge = () =>
      new Error(`${file} holds more than ${MAX_DATA_FILE_BYTES} bytes, more than the sandbox reads; it was left as it is (move it away to start empty).`);
    if (stat.size > MAX_DATA_FILE_BYTES) throw tooLarge();
    const buffer = Buffer.allocUnsafe(stat.size + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await h.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      // One byte more than its size said: it grows while read, and the sandbox holds the lock.
      if (length === buffer.length) throw new Error(`${file} grew while it was read; is another sandbox using this folder?`);
    }
    return buffer.subarray(0, length);
  } finally {
    await h.close();
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
