import fs from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';

/** The file names a directory scan picks up, as DESIGN.md §2 defines them. */
export const MANIFEST_PATTERNS = ['**/*.agent.{yaml,yml,json}', '**/*.agents.{yaml,yml,json}'];
const IGNORE = ['**/node_modules/**', '**/.git/**', '**/dist/**'];

export class UsageError extends Error {}

/**
 * Expands the command line's paths: a file is taken as it is, a directory is scanned for
 * manifests, anything else is a glob. Returns absolute paths, sorted, without duplicates.
 */
export async function collectFiles(inputs: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const input of inputs.length > 0 ? inputs : ['.']) {
    const abs = path.resolve(cwd, input);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    if (stat?.isFile()) {
      found.add(abs);
      continue;
    }
    const matches = stat?.isDirectory()
      ? await glob(MANIFEST_PATTERNS, { cwd: abs, ignore: IGNORE, absolute: true, dot: false })
      : await glob([input], { cwd, ignore: IGNORE, absolute: true });
    if (!stat && matches.length === 0) throw new UsageError(`No files match "${input}".`);
    for (const m of matches) found.add(path.normalize(m));
  }
  return [...found].sort();
}

export function toUri(file: string): string {
  return 'file://' + encodeURI(file.split(path.sep).join('/'));
}

export function relativeTo(cwd: string, file: string): string {
  const rel = path.relative(cwd, file);
  return (rel.startsWith('..') ? file : rel).split(path.sep).join('/');
}
