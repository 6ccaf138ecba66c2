import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The default manifest names: `*.agent.{yaml,yml,json}` and `*.agents.{yaml,yml,json}`. */
const MANIFEST_NAME = /\.agents?\.(ya?ml|json)$/i;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
/** A workspace with more manifests than this is indexed partially (and says so in the log). */
export const MAX_SCANNED_FILES = 20_000;

export function isManifestName(fileName: string): boolean {
  return MANIFEST_NAME.test(fileName);
}

/** Turns a glob such as `agents/**\/*.yaml` into a RegExp over '/'-separated relative paths. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slash = glob[i + 2] === '/';
        re += slash ? '(?:.*/)?' : '.*';
        i += slash ? 2 : 1;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += '(?:' + glob.slice(i + 1, end).split(',').map(escapeRe).join('|') + ')';
        i = end;
      }
    } else re += escapeRe(c);
  }
  return new RegExp('^' + re + '$');
}

function escapeRe(s: string): string {
  return s.replace(/[.+^$()|[\]\\]/g, '\\$&');
}

export interface ManifestMatcher {
  (relativePath: string): boolean;
}

export function manifestMatcher(include: readonly string[]): ManifestMatcher {
  const extra = include.map(globToRegExp);
  return (rel) => isManifestName(path.posix.basename(rel)) || extra.some((r) => r.test(rel));
}

export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(p: string): string {
  return pathToFileURL(p).toString();
}

/** Every manifest under `root` (skipping node_modules and .git), as file URIs. */
export async function scanFolder(root: string, matches: ManifestMatcher, limit = MAX_SCANNED_FILES): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    if (out.length >= limit) return;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folders are skipped, not fatal
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name)) await walk(full);
      } else if (e.isFile() && matches(path.relative(root, full).split(path.sep).join('/'))) {
        out.push(pathToUri(full));
      }
    }
  };
  await walk(root);
  return out;
}

export async function readText(uri: string): Promise<string | undefined> {
  const p = uriToPath(uri);
  if (!p) return undefined;
  try {
    return await fs.readFile(p, 'utf8');
  } catch {
    return undefined;
  }
}
