/**
 * Finding and reading configuration files on disk (Node only; the browser host has no file
 * system and runs with defaults). The nearest `.scim-agents.yaml` in the manifest's folder or
 * above it applies, up to `stopAt` (a workspace folder) or the file system's root.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readTextFileSync, resolvesInside } from '../util/files';
import { MAX_CONFIG_BYTES, parseConfig, type ParseConfigOptions } from './parse';
import { effectiveConfig, type Flags } from './resolve';
import { CONFIG_FILE_NAME, type EffectiveConfig, type LoadedConfig } from './types';

/** The configuration file in `dir` itself, if there is one (a missing one is the usual case: no exception for it). */
function configFileIn(dir: string): string | undefined {
  const candidate = path.join(dir, CONFIG_FILE_NAME);
  try {
    return fs.statSync(candidate, { throwIfNoEntry: false })?.isFile() ? candidate : undefined;
  } catch {
    return undefined; // a folder we may not look into has none we can read
  }
}

export interface LoadOptions extends ParseConfigOptions {
  /** The text of a file open in an editor (unsaved edits count), else undefined to read the disk. */
  textOf?: (file: string) => string | undefined;
  /** A folder the file must lie in once links are followed (the language server's workspace folder); one outside is not read. */
  confineTo?: string;
}

/** Reads and checks a configuration file; an unreadable one is a problem of its own, not a crash. */
export function loadConfigFile(file: string, options: LoadOptions = {}): LoadedConfig {
  const abs = path.resolve(file);
  const open = options.textOf?.(abs);
  if (open !== undefined) return { path: abs, text: open, ...parseConfig(open, options) };
  if (options.confineTo !== undefined && !resolvesInside(abs, options.confineTo)) {
    return {
      path: abs,
      text: '',
      config: {},
      problems: [
        {
          severity: 'error',
          message: 'The configuration file is a link that leads outside the workspace folder; it is not read.',
          span: { start: 0, end: 0 },
        },
      ],
    };
  }
  // Bounded and regular files only: a configuration linked to /dev/zero or a FIFO is a problem, not a hang.
  const read = readTextFileSync(abs, MAX_CONFIG_BYTES);
  if ('error' in read) {
    const why = read.error.startsWith('This file has') ? `it is larger than ${MAX_CONFIG_BYTES / 1024} KiB` : read.error.replace(/\.$/, '');
    return {
      path: abs,
      text: '',
      config: {},
      problems: [{ severity: 'error', message: `Cannot read the configuration file (${why}); it is ignored.`, span: { start: 0, end: 0 } }],
    };
  }
  const text = read.text;
  return { path: abs, text, ...parseConfig(text, options) };
}

/** The baseline a configuration file names, as an absolute path (parse.ts keeps it inside the folder). */
export function baselinePathOf(loaded: LoadedConfig, written: string): string {
  return path.resolve(path.dirname(loaded.path), written);
}

/**
 * Configuration per manifest, each file read once: the nearest file above it (or the one given
 * with --config for every manifest), its overrides, then the flags.
 */
export class ConfigResolver {
  private readonly byDir = new Map<string, string | undefined>();
  /** A manifest's folder as written, and resolved: the manifests of a folder resolve it once (10,000 files, 20 folders). */
  private readonly folders = new Map<string, string>();
  private readonly byFile = new Map<string, LoadedConfig>();
  /** The configuration of every manifest under a file without overrides (or under none: NO_CONFIG), shared. */
  private readonly withoutOverrides = new Map<LoadedConfig | typeof NO_CONFIG, EffectiveConfig>();

  constructor(private readonly options: LoadOptions & { explicit?: string; stopAt?: string; flags?: Flags } = {}) {}

  /** The configuration file that applies to a manifest, read and checked. */
  configFor(manifestPath: string): LoadedConfig | undefined {
    const file = this.options.explicit ? path.resolve(this.options.explicit) : this.nearest(this.folderOf(manifestPath));
    if (!file) return undefined;
    let loaded = this.byFile.get(file);
    if (!loaded) {
      loaded = loadConfigFile(file, this.options);
      this.byFile.set(file, loaded);
    }
    return loaded;
  }

  effective(manifestPath: string): EffectiveConfig {
    const loaded = this.configFor(manifestPath);
    // Without overrides a manifest's place in the folder changes nothing: one answer per
    // configuration file, not 10,000 copies of it for 10,000 files.
    if (!loaded?.config.overrides?.length) {
      const key = loaded ?? NO_CONFIG;
      let shared = this.withoutOverrides.get(key);
      if (!shared) {
        shared = deepFreeze(effectiveConfig(loaded, undefined, this.options.flags, baselinePathOf));
        this.withoutOverrides.set(key, shared);
      }
      return shared;
    }
    const rel = loaded ? relativeInside(path.dirname(loaded.path), path.resolve(manifestPath)) : undefined;
    return effectiveConfig(loaded, rel, this.options.flags, baselinePathOf);
  }

  /** Every configuration file read so far. */
  loaded(): LoadedConfig[] {
    return [...this.byFile.values()];
  }

  /** Forget what was read (a configuration file changed). */
  clear(): void {
    this.folders.clear();
    this.byDir.clear();
    this.byFile.clear();
    this.withoutOverrides.clear();
  }

  private folderOf(manifestPath: string): string {
    const written = path.dirname(manifestPath);
    let folder = this.folders.get(written);
    if (folder === undefined) this.folders.set(written, (folder = path.resolve(written)));
    return folder;
  }

  /**
   * The nearest configuration file at or above `dir` (resolved), each folder looked at once: the
   * folders of a tree share their parents, so 1,000 folders of manifests cost 1,000 looks, not
   * one per folder for every level above it.
   */
  private nearest(dir: string): string | undefined {
    // Known (every manifest of a folder after its first): no work beyond the lookup.
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    const stop = this.options.stopAt !== undefined ? path.resolve(this.options.stopAt) : undefined;
    // The folders from `dir` up to the first one already known (or the stop, or the root).
    const unknown: string[] = [];
    let current = dir;
    let found: string | undefined;
    for (;;) {
      if (this.byDir.has(current)) {
        found = this.byDir.get(current);
        break;
      }
      unknown.push(current);
      found = configFileIn(current);
      if (found !== undefined || current === stop) break;
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
    for (const d of unknown) this.byDir.set(d, found);
    return found;
  }
}

const NO_CONFIG = Symbol('no configuration file');

/** A shared answer is read by many: frozen, so that none can change it for the others. */
function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) deepFreeze(v as object);
  return Object.freeze(value);
}

/** `a/b.agent.yaml` for a file below `dir`; undefined for one outside it. */
export function relativeInside(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}
