import type { ProfileSetting } from '../model/bind';
import type { SeveritySetting } from '../rules/types';
import { isProfileId } from '../schema/profiles';
import { SETTINGS_SECTION } from './protocol';

/** The `scimAgents` settings section, as far as the language server uses it. */
export interface ServerSettings {
  profile: ProfileSetting;
  rules: Record<string, SeveritySetting>;
  /** Extra globs (relative to each workspace folder) naming manifests. */
  include: string[];
  /** Format Document also puts attributes in the canonical order. */
  orderKeys: boolean;
  /** Inlay hints saying what each reference resolves to. */
  inlayHints: boolean;
  /** Findings in the configuration's baseline: shown as hints, or hidden. */
  baselineMode: 'lower' | 'hide';
}

export const DEFAULT_SETTINGS: ServerSettings = { profile: 'auto', rules: {}, include: [], orderKeys: false, inlayHints: true, baselineMode: 'lower' };

const SEVERITIES = new Set(['off', 'info', 'warning', 'error']);

/** Reads whatever the client sent, keeping only well-formed values (a bad setting never breaks linting). */
export function readSettings(raw: unknown): ServerSettings {
  if (!raw || typeof raw !== 'object') return { ...DEFAULT_SETTINGS };
  const r = raw as Record<string, unknown>;
  const profile: ProfileSetting = isProfileId(r.profile) || r.profile === 'server' ? r.profile : 'auto';
  const rules: Record<string, SeveritySetting> = {};
  if (r.rules && typeof r.rules === 'object') {
    for (const [code, v] of Object.entries(r.rules as Record<string, unknown>)) {
      if (typeof v === 'string' && SEVERITIES.has(v)) rules[code] = v as SeveritySetting;
    }
  }
  const files = r.files && typeof r.files === 'object' ? (r.files as Record<string, unknown>) : {};
  const includeRaw = Array.isArray(files.include) ? files.include : [];
  const include = includeRaw.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
  const format = r.format && typeof r.format === 'object' ? (r.format as Record<string, unknown>) : {};
  const hints = r.inlayHints && typeof r.inlayHints === 'object' ? (r.inlayHints as Record<string, unknown>) : {};
  const baseline = r.baseline && typeof r.baseline === 'object' ? (r.baseline as Record<string, unknown>) : {};
  const baselineMode = baseline.mode === 'hide' ? 'hide' : 'lower';
  return { profile, rules, include, orderKeys: format.orderKeys === true, inlayHints: hints.references !== false, baselineMode };
}

export function sameSettings(a: ServerSettings, b: ServerSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The `workspace/configuration` item of a scope: a workspace folder's URI, or the window (undefined). */
export function configurationItem(scopeUri: string | undefined): { section: string; scopeUri?: string } {
  return { section: SETTINGS_SECTION, ...(scopeUri !== undefined ? { scopeUri } : {}) };
}

/** A folder URI as a prefix of the URIs of the files in it. */
function asFolder(uri: string): string {
  return uri.endsWith('/') ? uri : uri + '/';
}

/**
 * The settings of every scope of a window: each workspace folder's (the settings are
 * resource-scoped, so a folder's `.vscode/settings.json` or `.code-workspace` entry can differ)
 * and the window's, for files outside every folder. A file gets the settings of the innermost
 * folder that holds it. Immutable: a change of settings is a new value, compared with the old.
 */
export class FolderSettings {
  private readonly folders: ReadonlyMap<string, ServerSettings>;

  constructor(
    readonly window: ServerSettings = { ...DEFAULT_SETTINGS },
    folders: Iterable<[string, ServerSettings]> = [],
  ) {
    this.folders = new Map([...folders].map(([uri, settings]) => [asFolder(uri), settings]));
  }

  /** The innermost folder (its URI, ending in `/`) holding a file, or undefined outside every folder. */
  folderOf(uri: string): string | undefined {
    let best: string | undefined;
    for (const folder of this.folders.keys()) if (uri.startsWith(folder) && (!best || folder.length > best.length)) best = folder;
    return best;
  }

  /** Whether every scope has the same settings in both. */
  equals(other: FolderSettings): boolean {
    if (!sameSettings(this.window, other.window) || this.folders.size !== other.folders.size) return false;
    for (const [uri, settings] of this.folders) {
      const theirs = other.folders.get(uri);
      if (!theirs || !sameSettings(settings, theirs)) return false;
    }
    return true;
  }

  /** The settings that apply to a file (or to a folder, given its URI). */
  of(uri: string): ServerSettings {
    const folder = this.folderOf(asFolder(uri));
    return folder ? this.folders.get(folder)! : this.window;
  }
}
