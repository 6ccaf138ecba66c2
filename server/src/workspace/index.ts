import { parseManifest } from '../manifest/parse';
import type { ManifestResource, ParsedManifest } from '../manifest/model';
import { bindResource, NO_ENDPOINT, type BoundResource, type ProfileSetting, type ServerProfileState } from '../rules/analysis/bind';
import { RESOURCE_TYPE_OF, type KeyReference } from './references';
import { appendTo } from '../util/maps';

/** A profile setting for the whole workspace, or per file (from each file's .scim-agents.yaml). */
export type ProfileChoice = ProfileSetting | ((uri: string) => ProfileSetting);

export interface FileAnalysis {
  manifest: ParsedManifest;
  resources: BoundResource[];
  /** Editor document version, or undefined for files read from disk. */
  version?: number;
}

/**
 * Every manifest of a workspace, parsed and bound once per version. Cross-file rules read it;
 * the language server updates one file at a time.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, FileAnalysis>();
  private keyIndex: Map<string, BoundResource[]> | undefined;
  /** Resource type name → its resources, built on first use after a change. */
  private byType: Map<string, BoundResource[]> | undefined;
  private all: BoundResource[] | undefined;
  private roots: string[] = [];
  private common: string | undefined;

  constructor(
    private profileSetting: ProfileChoice = 'auto',
    private server: ServerProfileState = { unavailable: NO_ENDPOINT },
  ) {}

  setProfile(setting: ProfileChoice): void {
    if (setting === this.profileSetting) return;
    this.profileSetting = setting;
    this.rebindAll();
  }

  /** The served definitions for the `server` profile (or why there are none), e.g. after a refresh. */
  setServerProfile(server: ServerProfileState): void {
    if (server === this.server) return;
    this.server = server;
    this.rebindAll();
  }

  get serverProfile(): ServerProfileState {
    return this.server;
  }

  /** Folder URIs the workspace is made of (editor folders, the CLI's working directory). */
  setRoots(roots: readonly string[]): void {
    this.roots = roots.map((r) => (r.endsWith('/') ? r : r + '/'));
  }

  /**
   * How a message names a file: its path relative to the workspace root that holds it, else to
   * the folder all indexed files share. Never only its base name, which folders can share.
   */
  relativePath(uri: string): string {
    const root = this.roots.filter((r) => uri.startsWith(r)).sort((a, b) => b.length - a.length)[0] ?? this.commonFolder();
    return decodeURIComponent(root && uri.startsWith(root) ? uri.slice(root.length) : uri);
  }

  private commonFolder(): string {
    if (this.common !== undefined) return this.common;
    let common: string | undefined;
    for (const uri of this.files.keys()) {
      const folder = uri.slice(0, uri.lastIndexOf('/') + 1);
      if (common === undefined) common = folder;
      while (!folder.startsWith(common)) common = common.slice(0, common.lastIndexOf('/', common.length - 2) + 1);
    }
    this.common = common ?? '';
    return this.common;
  }

  private rebindAll(): void {
    // Bindings depend on the profile: drop the old analyses so every file is bound again.
    for (const [uri, f] of [...this.files]) {
      this.files.delete(uri);
      this.set(uri, f.manifest.text, f.version);
    }
  }

  set(uri: string, text: string, version?: number): FileAnalysis {
    const existing = this.files.get(uri);
    if (existing && existing.manifest.text === text && existing.version === version) return existing;
    // The previous parse lets unchanged documents be reused rather than parsed and bound again.
    const manifest = parseManifest(uri, text, undefined, existing?.manifest);
    const reusable = new Map<ManifestResource, BoundResource>();
    if (existing && existing.manifest.fileProfile === manifest.fileProfile) for (const b of existing.resources) reusable.set(b.resource, b);
    const analysis: FileAnalysis = {
      manifest,
      resources: manifest.resources.map((r) => {
        const before = reusable.get(r);
        // Binding reads only the resource, the file's profile comment and the setting, all unchanged.
        return before ? { ...before, manifest } : bindResource(manifest, r, typeof this.profileSetting === 'function' ? this.profileSetting(uri) : this.profileSetting, this.server);
      }),
      ...(version !== undefined ? { version } : {}),
    };
    this.files.set(uri, analysis);
    this.changed();
    return analysis;
  }

  delete(uri: string): void {
    if (this.files.delete(uri)) this.changed();
  }

  private changed(): void {
    this.keyIndex = undefined;
    this.common = undefined;
    this.byType = undefined;
    this.all = undefined;
  }

  get(uri: string): FileAnalysis | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  fileAnalyses(): FileAnalysis[] {
    return [...this.files.values()];
  }

  /** Every resource (a fresh array: callers may keep or change it). */
  resources(): BoundResource[] {
    return [...this.allResources()];
  }

  /** Resources of one type. Rules ask this per resource, so the grouping is built once per change. */
  ofType(resourceType: string): BoundResource[] {
    if (!this.byType) {
      this.byType = new Map();
      for (const r of this.allResources()) {
        const name = r.resourceType?.name;
        if (name !== undefined) appendTo(this.byType, name, r);
      }
    }
    return [...(this.byType.get(resourceType) ?? [])];
  }

  private allResources(): BoundResource[] {
    if (!this.all) {
      this.all = [];
      for (const f of this.files.values()) for (const r of f.resources) this.all.push(r);
    }
    return this.all;
  }

  /** Resources a key reference names (several when the workspace has duplicates). */
  resolve(ref: KeyReference): BoundResource[] {
    return this.lookup(RESOURCE_TYPE_OF[ref.kind]!, ref.key);
  }

  /** Resources of a type whose externalId (exactly) or human name (any case) is `key`. */
  lookup(resourceType: string, key: string): BoundResource[] {
    const index = this.buildKeyIndex();
    const exact = index.get(`${resourceType}\u0000id\u0000${key}`) ?? [];
    const named = index.get(`${resourceType}\u0000name\u0000${key.toLowerCase()}`) ?? [];
    return [...new Set([...exact, ...named])];
  }

  private buildKeyIndex(): Map<string, BoundResource[]> {
    if (this.keyIndex) return this.keyIndex;
    const index = new Map<string, BoundResource[]>();
    const add = (k: string, r: BoundResource) => appendTo(index, k, r);
    for (const r of this.allResources()) {
      const type = r.resourceType?.name;
      if (!type) continue;
      const ext = r.normalized.externalId;
      if (typeof ext === 'string') add(`${type}\u0000id\u0000${ext}`, r);
      const name = humanKeyOf(r);
      if (name) add(`${type}\u0000name\u0000${name.value.toLowerCase()}`, r);
    }
    this.keyIndex = index;
    return index;
  }
}

/** The attribute that names a resource uniquely on a server, per resource type and profile. */
export const HUMAN_KEY_ATTRIBUTES: Record<string, readonly string[]> = {
  Agent: ['name', 'agentUserName'],
  AgenticApplication: ['name'],
  User: ['userName'],
  Group: ['displayName'],
};

export function humanKeyOf(r: BoundResource): { attribute: string; value: string } | undefined {
  for (const attribute of HUMAN_KEY_ATTRIBUTES[r.resourceType?.name ?? ''] ?? []) {
    const v = r.normalized[attribute];
    if (typeof v === 'string' && v.trim() !== '') return { attribute, value: v };
  }
  return undefined;
}

/** How a resource is named in messages and outlines. */
export function labelOf(r: BoundResource): string {
  const type = r.resourceType?.name ?? 'resource';
  const key = humanKeyOf(r)?.value ?? (typeof r.normalized.externalId === 'string' ? r.normalized.externalId : undefined);
  return key ? `${type} "${key}"` : `${type} #${r.resource.index + 1}`;
}
