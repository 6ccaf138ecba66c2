import path from 'node:path';
import { boundedGlob, globProblem } from '../util/glob';
import { isManifestName, isScannedFolder, isScannedPath } from '../manifest/fileNames';
import { isInside, pathToUri, readTextFile, realPath, uriToPath, walkFolder } from '../util/files';

/** A workspace with more manifests than this is indexed partially (and says so in the log). */
export const MAX_SCANNED_FILES = 20_000;

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
    else extra.push(boundedGlob(glob, { dot: false })!);
  }
  if (!trusted && include.length > 0) rejected.push(...include.map((glob) => ({ glob, reason: 'the workspace is not trusted' })));
  const matcher: ManifestMatcher = (rel) => isScannedPath(rel) && (isManifestName(path.posix.basename(rel)) || (extra.length > 0 && extra.some((m) => m(rel))));
  return { matcher, rejected };
}

/**
 * Every manifest under `root` (not in node_modules, dist, hidden folders…: manifest/fileNames.ts),
 * as file URIs: regular files, symlinks only inside `root`, each real file once (util/files.ts).
 */
export async function scanFolder(root: string, matches: ManifestMatcher, limit = MAX_SCANNED_FILES, seen?: Set<string>): Promise<string[]> {
  const files = await walkFolder(root, { accept: matches, entersFolder: isScannedFolder, limit, ...(seen ? { seen } : {}) });
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
