import fs from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { isManifestName, isScannedFolder, isScannedPath, SKIPPED_FOLDERS } from '../manifest/fileNames';
import { isInside, plainRelative, realPath, walkFolder } from '../util/files';

const IGNORE = SKIPPED_FOLDERS.map((f) => `**/${f}/**`);
/**
 * A directory scan picks up manifests by name (README, Manifests) where the editor's scan does
 * (manifest/fileNames.ts). The walk enters only the folders isScannedFolder admits, so of a path
 * it found, the file's own name is what is left to look at.
 */
const isManifestPath = (relativePath: string) => {
  const name = relativePath.slice(relativePath.lastIndexOf('/') + 1);
  return isManifestName(name) && isScannedPath(name);
};

export class UsageError extends Error {}

/**
 * Expands the command line's paths: a file is taken as it is, a directory is scanned for
 * manifests, anything else is a glob. Scans and globs follow a symlink only when it stays inside
 * the folder given (the directory, or the current one for a glob); each real file is listed
 * once, however many names reach it. Returns absolute paths, sorted.
 */
export async function collectFiles(inputs: readonly string[], cwd: string): Promise<string[]> {
  const found: string[] = [];
  const seen = new Set<string>();
  // Known by real path, as the scans know them (util/files.ts walkFolder).
  const add = (file: string, real: string) => {
    if (seen.has(real)) return;
    seen.add(real);
    found.push(file);
  };
  for (const input of inputs.length > 0 ? inputs : ['.']) {
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat && !stat.isDirectory()) {
      // Named on the command line: read (and refused there if it is not a regular file).
      add(abs, (await realPath(abs)) ?? abs);
      continue;
    }
    if (stat?.isDirectory()) {
      for (const file of await walkFolder(abs, { accept: isManifestPath, entersFolder: isScannedFolder, seen })) found.push(file);
      continue;
    }
    const matches = await glob([input], { cwd, ignore: IGNORE, absolute: true, followSymbolicLinks: false });
    if (matches.length === 0) throw new UsageError(`No files match "${input}".`);
    const realCwd = (await realPath(cwd)) ?? cwd;
    for (const m of matches) {
      const file = path.normalize(m);
      const real = await realPath(file);
      if (!real || !isInside(real, realCwd)) continue; // a symlink out of the folder given
      const s = fs.statSync(real, { throwIfNoEntry: false });
      if (s?.isFile()) add(file, real);
    }
  }
  return found.sort();
}

export function relativeTo(cwd: string, file: string): string {
  const plain = plainRelative(cwd, file);
  if (plain !== undefined) return plain;
  const rel = path.relative(cwd, file);
  return (rel.startsWith('..') ? file : rel).split(path.sep).join('/');
}
