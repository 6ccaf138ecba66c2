import path from 'node:path';
import picomatch from 'picomatch';
import { isManifestName } from '../manifest/fileNames';
import { isInside, pathToUri, readTextFile, realPath, uriToPath, walkFolder } from '../util/files';

const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** A workspace with more manifests than this is indexed partially (and says so in the log). */
export const MAX_SCANNED_FILES = 20_000;

/**
 * What a `scimAgents.files.include` glob may contain. picomatch compiles a glob to a RegExp
 * whose cost grows with the path to the power of its wildcards (`*a*a*a*b` takes minutes on 100
 * characters), so a glob is kept to shapes whose matching stays linear in the path's depth and
 * bounded per segment: at most one `**`, at most two `*` in any other segment, no extglobs.
 */
const MAX_GLOB_LENGTH = 256;
const MAX_GLOBSTARS = 1;
const MAX_STARS_PER_SEGMENT = 2;
/** No real file name is longer (NAME_MAX); a longer segment is not matched against a glob. */
const MAX_SEGMENT = 255;
const MAX_PATH = 4096;

/** Why a glob is not used, or undefined when it is fine. */
export function globProblem(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return `longer than ${MAX_GLOB_LENGTH} characters`;
  if (/[@!+*?]\(/.test(glob)) return 'extglobs such as *(…) or +(…) are not supported';
  const segments = glob.split('/');
  if (segments.filter((s) => s === '**').length > MAX_GLOBSTARS) return `more than ${MAX_GLOBSTARS} "**"`;
  for (const s of segments) {
    if (s === '**') continue;
    if (s.includes('**')) return '"**" must be a whole path segment';
    if ((s.match(/\*/g) ?? []).length > MAX_STARS_PER_SEGMENT) return `more than ${MAX_STARS_PER_SEGMENT} "*" in one segment`;
  }
  return undefined;
}

export interface ManifestMatcher {
  (relativePath: string): boolean;
}

export interface IncludeGlobs {
  matcher: ManifestMatcher;
  /** The globs left out, with why (logged). */
  rejected: { glob: string; reason: string }[];
}

/**
 * The default manifest names, plus the workspace's `include` globs when the workspace is
 * trusted: an untrusted workspace's settings choose nothing the server runs.
 */
export function includeGlobs(include: readonly string[], trusted: boolean): IncludeGlobs {
  const rejected: IncludeGlobs['rejected'] = [];
  const extra: ((p: string) => boolean)[] = [];
  for (const glob of trusted ? include : []) {
    const reason = globProblem(glob);
    if (reason) rejected.push({ glob, reason });
    else extra.push(picomatch(glob, { noextglob: true, dot: false }));
  }
  if (!trusted && include.length > 0) rejected.push(...include.map((glob) => ({ glob, reason: 'the workspace is not trusted' })));
  const matcher: ManifestMatcher = (rel) => isManifestName(path.posix.basename(rel)) || (extra.length > 0 && withinBounds(rel) && extra.some((m) => m(rel)));
  return { matcher, rejected };
}

function withinBounds(rel: string): boolean {
  if (rel.length > MAX_PATH) return false;
  for (let start = 0; start <= rel.length;) {
    const end = rel.indexOf('/', start);
    const stop = end < 0 ? rel.length : end;
    if (stop - start > MAX_SEGMENT) return false;
    start = stop + 1;
  }
  return true;
}

/**
 * Every manifest under `root` (skipping node_modules and .git), as file URIs: regular files,
 * symlinks only inside `root`, each real file once (util/files.ts).
 */
export async function scanFolder(root: string, matches: ManifestMatcher, limit = MAX_SCANNED_FILES, seen?: Set<string>): Promise<string[]> {
  const files = await walkFolder(root, { accept: matches, skipDirs: SKIPPED_DIRS, limit, ...(seen ? { seen } : {}) });
  return files.map(pathToUri);
}

/**
 * A manifest's text from disk, bounded and strict (util/files.ts); undefined when it cannot or
 * must not be read. Given workspace folders, a file whose real path is outside all of them (a
 * symlink out of the workspace) is not read.
 */
export async function readText(uri: string, folders?: readonly string[]): Promise<string | undefined> {
  const p = uriToPath(uri);
  if (!p) return undefined;
  if (folders && folders.length > 0) {
    const real = await realPath(p);
    if (!real) return undefined;
    const realFolders = await Promise.all(folders.map((f) => realPath(f)));
    if (!realFolders.some((f) => f !== undefined && isInside(real, f))) return undefined;
  }
  const read = await readTextFile(p);
  return 'text' in read ? read.text : undefined;
}
