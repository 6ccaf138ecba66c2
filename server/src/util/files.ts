/**
 * Reading manifests from disk safely, for the CLI and the language server alike: regular files
 * only, their size checked before a byte is read and the read itself bounded (a symlink to
 * /dev/zero or a FIFO is refused, not read until memory runs out), symlinks followed only
 * while they stay inside the folder being scanned, each real file listed once (a link to a
 * file, `self -> .`), and link loops harmless.
 */
import fs from 'node:fs/promises';
import fsSync, { constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_MANIFEST_CHARS } from './limits';

/** No manifest file over this many bytes is read (a file of more characters is refused anyway). */
export const MAX_MANIFEST_BYTES = MAX_MANIFEST_CHARS;

/** The text without its BOM; `bom` says the file had one (a formatter writes it back). */
export type ReadResult = { text: string; bom?: true } | { error: string };

/**
 * A manifest's text, strictly UTF-8 (a BOM dropped). Opened without blocking (a FIFO cannot
 * hang the read), checked with fstat (a regular file, not too large) before reading, and read
 * at most `maxBytes + 1` bytes (a file that grows while read is refused too).
 */
export async function readTextFile(file: string, maxBytes = MAX_MANIFEST_BYTES): Promise<ReadResult> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return cannotRead(e);
  }
  try {
    const stat = await handle.stat();
    const refused = refusal(stat, maxBytes);
    if (refused) return refused;
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      const next = afterRead(buffer, length, bytesRead, maxBytes);
      if (typeof next !== 'number') return next;
      length = next;
    }
  } catch (e) {
    return cannotRead(e);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * The same as readTextFile, with the same checks, without a round trip to the thread pool per
 * step: for the CLI, which reads thousands of small files one after another and has nothing
 * else to do meanwhile.
 */
export function readTextFileSync(file: string, maxBytes = MAX_MANIFEST_BYTES): ReadResult {
  let fd: number;
  try {
    fd = fsSync.openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return cannotRead(e);
  }
  try {
    const stat = fsSync.fstatSync(fd);
    const refused = refusal(stat, maxBytes);
    if (refused) return refused;
    const buffer = Buffer.allocUnsafe(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const bytesRead = fsSync.readSync(fd, buffer, length, buffer.length - length, length);
      const next = afterRead(buffer, length, bytesRead, maxBytes);
      if (typeof next !== 'number') return next;
      length = next;
    }
  } catch (e) {
    return cannotRead(e);
  } finally {
    try {
      fsSync.closeSync(fd);
    } catch {
      // closing a file only read cannot lose data
    }
  }
}

function cannotRead(e: unknown): ReadResult {
  return { error: `Cannot read the file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.` };
}

function refusal(stat: { isFile(): boolean; size: number }, maxBytes: number): ReadResult | undefined {
  if (!stat.isFile()) return { error: 'This is not a regular file (a device, FIFO or socket); only regular files are read.' };
  if (stat.size > maxBytes) return { error: tooLarge(String(stat.size), maxBytes) };
  return undefined;
}

/** One read of `bytesRead` bytes at `length`: the new length to read on from, or the result. */
function afterRead(buffer: Buffer, length: number, bytesRead: number, maxBytes: number): number | ReadResult {
  if (bytesRead === 0) return decoded(buffer, length);
  length += bytesRead;
  if (length < buffer.length) return length;
  if (length > maxBytes) return { error: tooLarge(`more than ${maxBytes}`, maxBytes) };
  return decoded(buffer, length); // grew while read, but still under the cap: read what fits, as of now
}

/** One decoder for every file: a fatal decoder keeps no state between whole-buffer calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

function decoded(buffer: Buffer, length: number): ReadResult {
  try {
    // The decoder drops a leading BOM itself; whether there was one is read off the bytes.
    const bom = length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
    const text = UTF8.decode(buffer.subarray(0, length));
    return bom ? { text, bom: true } : { text };
  } catch {
    return { error: 'The file is not valid UTF-8 text.' };
  }
}

function tooLarge(size: string, max: number): string {
  return `This file has ${size} bytes; manifests over ${max} bytes are not read. Split it into several files.`;
}

/** Whether `p` is `folder` or inside it (both absolute, compared as given). */
export function isInside(p: string, folder: string): boolean {
  const rel = path.relative(folder, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Replaces a file's content by writing a new file beside it and renaming it over: a crash
 * mid-write never leaves half a file, and a link at the path is replaced, never written through.
 * The temporary file is removed when anything fails.
 */
export function replaceFileSync(file: string, text: string, mode: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fsSync.writeFileSync(tmp, text, { flag: 'wx', mode });
    fsSync.renameSync(tmp, file);
  } catch (e) {
    fsSync.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Whether `file`, links followed, lies inside `folder` (links followed too); a path that does not resolve does not. */
export function resolvesInside(file: string, folder: string): boolean {
  try {
    const rel = path.relative(fsSync.realpathSync(folder), fsSync.realpathSync(file));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  } catch {
    return false;
  }
}

/** The real path of `p`, or undefined when it does not resolve (dangling link, loop, no access). */
export async function realPath(p: string): Promise<string | undefined> {
  try {
    return await fs.realpath(p);
  } catch {
    return undefined;
  }
}

export interface WalkOptions {
  /** Whether a file, by its '/'-separated path relative to the root, is wanted. */
  accept: (relativePath: string) => boolean;
  /** Whether a folder of this name is entered (manifest/fileNames.ts: not node_modules, .git…). */
  entersFolder?: (name: string) => boolean;
  /** Stop after this many files. */
  limit?: number;
  /** Files already listed (by real path), shared across several walks. */
  seen?: Set<string>;
}

/**
 * The wanted regular files under the folder `given`, as absolute paths under it (normalised). A symlink is followed
 * only when its target is inside the folder, matched by its own name and listed by the target's path; each directory is
 * entered and each file listed once (by real path), so loops end and no file repeats.
 *
 * Only links cost a system call: every folder's real path is known from its parent's (the root's
 * is resolved once, a link's target resolved), so a plain entry's is its folder's joined with its
 * name, and the entry's type comes with the listing. (A stat of every file, to know it by device
 * and inode, was a twentieth of a CLI lint of 10,000 small files; hard links, the one thing it
 * caught besides what real paths catch, are read once per name. The read checks again that what
 * it opens is a regular file.)
 */
export async function walkFolder(given: string, options: WalkOptions): Promise<string[]> {
  const out: string[] = [];
  // Normalised once, so that a name is joined to its folder's path by concatenation (path.join
  // normalises every path it makes: with path.relative, a sixth of listing 10,000 files).
  const root = path.normalize(given);
  const realRoot = await realPath(root);
  if (!realRoot) return out;
  const rootStat = await fs.stat(realRoot).catch(() => undefined);
  if (!rootStat?.isDirectory()) return out;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const seenFiles = options.seen ?? new Set<string>();
  const seenDirs = new Set<string>([realRoot]);
  // Folders to enter: spelled under `root`, their real paths, and their '/'-separated path relative to `root`.
  const pending: Folder[] = [{ dir: root, real: realRoot, rel: '' }];
  // Listings started ahead, by folder: each waits on the thread pool, not on the one before it
  // (one at a time, a walk of 20 folders of 500 files spent half its time waiting).
  const listings = new Map<string, Promise<import('node:fs').Dirent[] | undefined>>();
  const list = (dir: string) => {
    let listing = listings.get(dir);
    if (!listing) {
      // An unreadable folder is skipped, not fatal.
      listing = fs.readdir(dir, { withFileTypes: true }).catch(() => undefined);
      listings.set(dir, listing);
    }
    return listing;
  };
  while (pending.length > 0 && out.length < limit) {
    const { dir, real, rel } = pending.pop()!;
    // The folders next in line, listed meanwhile; the order they are walked in stays the same.
    for (let i = pending.length - 1; i >= 0 && i >= pending.length - LISTINGS_AHEAD; i--) void list(pending[i]!.dir);
    const entries = await list(dir);
    listings.delete(dir);
    if (!entries) continue;
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Folder[] = [];
    for (const e of entries) {
      if (out.length >= limit) break;
      // What the entry is matched by: its own name, whatever a link points at.
      const relNamed = rel === '' ? e.name : `${rel}/${e.name}`;
      let full = child(dir, e.name);
      let realFull = child(real, e.name);
      let relFull = relNamed;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const target = await realPath(full);
        if (!target || !isInside(target, realRoot)) continue; // never out of the folder given
        const stat = await fs.stat(target).catch(() => undefined);
        if (!stat) continue;
        const fromRoot = path.relative(realRoot, target);
        full = path.join(root, fromRoot);
        realFull = target;
        relFull = toPosix(fromRoot);
        isDir = stat.isDirectory();
        isFile = stat.isFile();
      }
      if (isDir) {
        if (options.entersFolder?.(e.name) === false || seenDirs.has(realFull)) continue;
        seenDirs.add(realFull);
        subdirs.push({ dir: full, real: realFull, rel: relFull });
      } else if (isFile && !seenFiles.has(realFull) && options.accept(relNamed)) {
        seenFiles.add(realFull);
        out.push(full);
      }
    }
    for (let i = subdirs.length - 1; i >= 0; i--) pending.push(subdirs[i]!);
  }
  return out;
}

/** Folders listed ahead of the walk (a few: the thread pool has four threads). */
const LISTINGS_AHEAD = 8;

interface Folder {
  dir: string;
  real: string;
  rel: string;
}

/** `name` (a directory entry's: no separator, never `.` or `..`) in the normalised folder `dir`. */
function child(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** The last folder found absolute and normalized (a run asks about one or two: each checked once). */
let plainFolder: string | undefined;

/**
 * A plain path under a plain folder (what a scan gives), '/'-separated relative to it, without
 * path.relative, which resolves both sides first (a tenth of listing and reading 11,000 small
 * files); undefined when either is not that plain (then path.relative decides).
 */
export function plainRelative(folder: string, file: string): string | undefined {
  if (folder !== plainFolder) {
    if (!path.isAbsolute(folder) || path.normalize(folder) !== folder) return undefined;
    plainFolder = folder;
  }
  const sep = path.sep;
  const under = folder.endsWith(sep) ? folder : folder + sep;
  const from = under.length - 1;
  // No `.` or `..` segment (nor a hidden name, left to path.relative too), no doubled or trailing separator.
  if (!file.startsWith(under) || file.includes(sep + '.', from) || file.includes(sep + sep, from) || file.endsWith(sep)) return undefined;
  return toPosix(file.slice(under.length));
}

export function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/**
 * A file's URI as node:url spells it, `#`, `?` and `%` escaped (`encodeURI` leaves `#` and `?`,
 * which then start a fragment or a query and name another path). The CLI and the language server
 * both use it, so a file has one URI in baselines, configuration lookups and diagnostics.
 */
export function pathToUri(file: string): string {
  // node:url builds a whole URL object per call (a twentieth of a CLI lint of many small files);
  // an absolute, normalised POSIX path of characters it never escapes is spelt the same directly.
  if (process.platform !== 'win32' && SAFE_POSIX_PATH.test(file) && !DOT_SEGMENT.test(file)) return 'file://' + file;
  return pathToFileURL(file).toString();
}

/** Absolute POSIX paths of characters a file URL keeps as they are. */
const SAFE_POSIX_PATH = /^\/[A-Za-z0-9._/-]*$/;
/** What node:url would resolve first: `.` and `..` segments, empty ones. */
const DOT_SEGMENT = /\/\.{0,2}(?:\/|$)/;

/** The path a `file:` URI names; undefined for another scheme or a malformed URI. */
export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
