import { documentMarkerEndAfter, parseManifest } from '../manifest/parse';
import type { ParsedManifest } from '../manifest/model';
import type { CommonEnds } from '../manifest/text';
import { bindResource, NO_ENDPOINT, type BoundResource, type ProfileSetting, type ServerProfileState } from '../model/bind';
import { RESOURCE_TYPE_OF, type KeyReference } from './references';
import { appendTo } from '../util/maps';
import { LintMemo } from './findings';
import { factsOf, RecordKeys, recordOf, type ResourceRecord } from './records';

/** A profile setting for the whole workspace, or per file (from each file's .scim-agents.yaml). */
export type ProfileChoice = ProfileSetting | ((uri: string) => ProfileSetting);

export interface FileAnalysis {
  manifest: ParsedManifest;
  resources: BoundResource[];
  /** Editor document version, or undefined for files read from disk. */
  version?: number;
}

/**
 * What cross-file rules read, all of it records (./records): the resources they report on
 * (`records`, `ofType`: the whole workspace, or a scoped view's) and lookups that always see the
 * whole workspace. A rule reports only on records it was given and reads every other resource
 * through a lookup, so checking one file costs that file's resources times a few lookups.
 */
export interface Workspace {
  records(): readonly ResourceRecord[];
  ofType(resourceType: string): readonly ResourceRecord[];
  /** Records a key reference names (several when the workspace has duplicates). */
  resolve(ref: KeyReference): readonly ResourceRecord[];
  /** Every record of the workspace under an index key (see `key` in ./keys). */
  withKey(indexKey: string): readonly ResourceRecord[];
  /** How many resources of a type the whole workspace has. */
  countOf(resourceType: string): number;
  /** How a message names a file (relative to its workspace root). */
  relativePath(uri: string): string;
  /**
   * What a rule may keep results on across runs (the editor's index; undefined for a view no
   * run comes after, a lint apart's, on which nothing is kept) and `ownerWorld`, bumped when the
   * Users and Groups changed (see WorkspaceIndex.ownerWorld).
   */
  readonly cache: { scope: object | undefined; ownerWorld: number };
}

/** A view of `records` over the lookups of `keys`. */
export function viewOf(records: readonly ResourceRecord[], keys: RecordKeys, relativePath: (uri: string) => string, cache: Workspace['cache']): Workspace {
  let byType: Map<string, ResourceRecord[]> | undefined;
  return {
    records: () => records,
    ofType: (type) => {
      if (!byType) {
        byType = new Map();
        for (const r of records) if (r.type !== undefined) appendTo(byType, r.type, r);
      }
      return byType.get(type) ?? [];
    },
    resolve: (ref) => keys.lookup(RESOURCE_TYPE_OF[ref.kind]!, ref.key),
    withKey: (k) => keys.withKey(k),
    countOf: (type) => keys.countOf(type),
    relativePath,
    cache,
  };
}

/**
 * Every manifest of a workspace, parsed and bound once per version. Cross-file rules read it;
 * the language server updates one file at a time. The per-key indexes (externalId, names,
 * subjects, certificates, OAuth applications' agents) and the per-type counts are updated by
 * the changed file's resources only, so a change costs that file, not the workspace.
 */
export class WorkspaceIndex {
  private readonly files = new Map<string, FileAnalysis>();
  private readonly keys = new RecordKeys();
  /** The binding of each indexed record, for the editor's lookups (which answer bindings). */
  private readonly bindings = new Map<ResourceRecord, BoundResource>();
  /** Resource type name -> its resources, built on first use after a change (editor features). */
  private byType: Map<string, BoundResource[]> | undefined;
  private all: BoundResource[] | undefined;
  private whole: Workspace | undefined;
  private roots: string[] = [];
  private common: string | undefined;
  /**
   * Bumped when a change may alter another file's cross-file findings (what a record's `factsOf`
   * covers changed, or a file came or went); an edit inside one resource's own attributes
   * leaves it alone.
   */
  crossGeneration = 0;
  /** Bumped when the Users and Groups (which, bound how) changed: owner resolution depends on them. */
  ownerWorld = 0;
  /** What the linter found on these files' bindings (workspace/findings.ts): the one place findings are kept. */
  readonly memo = new LintMemo();

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
    this.roots = folderUris(roots);
  }

  /**
   * How a message names a file: its path relative to the workspace root that holds it, else to
   * the folder all indexed files share. Never only its base name, which folders can share.
   */
  relativePath(uri: string): string {
    return relativeTo(this.rootOf(uri) ?? this.commonFolder(), uri);
  }

  /**
   * A file's path relative to the innermost workspace root holding it ('/'-separated, decoded),
   * or undefined when no root holds it (or its %-escapes are malformed: no file a scan lists).
   */
  pathInRoot(uri: string): string | undefined {
    const root = this.rootOf(uri);
    if (root === undefined) return undefined;
    try {
      return decodeURIComponent(uri.slice(root.length));
    } catch {
      return undefined;
    }
  }

  private rootOf(uri: string): string | undefined {
    return innermostRoot(this.roots, uri);
  }

  private commonFolder(): string {
    return (this.common ??= commonFolderOf(this.files.keys()));
  }

  private rebindAll(): void {
    this.rebind([...this.files.keys()]);
  }

  /** Binds files again: the profile their choice gives them changed (their folder's setting). */
  rebind(uris: Iterable<string>): void {
    // Bindings depend on the profile: drop the old analyses so each file is bound again.
    for (const uri of uris) {
      const f = this.files.get(uri);
      if (!f) continue;
      this.delete(uri);
      this.set(uri, f.manifest.text, f.version);
    }
  }

  /** `edited`, when known, is what `text` shares with the text of the file's current analysis (see parseManifest). */
  set(uri: string, text: string, version?: number, edited?: CommonEnds): FileAnalysis {
    const existing = this.files.get(uri);
    if (existing && existing.version === version && existing.manifest.text === text) return existing;
    return this.analyse(uri, text, version, existing, edited);
  }

  /**
   * Runs an edit's path on a file's current text, for the language server to run while the user
   * has not typed yet, so that the first keystroke in a file finds that code warm: otherwise it
   * runs it unoptimised over every resource of the file (at 5,000 resources, twice the time of a
   * later keystroke). A file of YAML documents read one by one is edited as a keystroke edits
   * it, and back: a space after the `---` nearest its middle (a change of length that changes no
   * value: the documents after it move), then the text as it was. The same resources come out,
   * equal; the document rehearsed on is bound anew, every other binding is kept. Any other file
   * has its middle retyped unchanged (every document kept).
   */
  rehearseEdit(uri: string): void {
    const existing = this.files.get(uri);
    if (!existing) return;
    const { text } = existing.manifest;
    const marker = documentMarkerEndAfter(existing.manifest, text.length >> 1);
    if (marker < 0) {
      const half = text.length >> 1;
      this.analyse(uri, text, existing.version, existing, { prefix: half, suffix: text.length - half });
      return;
    }
    const ends = { prefix: marker, suffix: text.length - marker };
    const edited = this.analyse(uri, `${text.slice(0, marker)} ${text.slice(marker)}`, existing.version, existing, ends);
    this.analyse(uri, text, existing.version, edited, ends);
  }

  private analyse(uri: string, text: string, version: number | undefined, existing: FileAnalysis | undefined, edited?: CommonEnds): FileAnalysis {
    // The previous parse lets unchanged documents be reused rather than parsed and bound again.
    const manifest = parseManifest(uri, text, undefined, existing?.manifest, edited);
    // A resource the parse kept is at its old place (parse.ts keeps one only at the same index),
    // so its binding is found beside it rather than looked up.
    const old = existing && existing.manifest.fileProfile === manifest.fileProfile ? existing.resources : [];
    // The indexes of the bindings made anew: every other one is the previous analysis's, at the same index.
    const fresh: number[] = [];
    const parsed = manifest.resources;
    const resources: BoundResource[] = [];
    // A plain loop: a keystroke walks every resource of the file here, and the first keystroke
    // does so before the loop is optimised (a callback per resource cost 2 ms at 5,000).
    for (let i = 0; i < parsed.length; i++) {
      const r = parsed[i]!;
      const before = old[i];
      // Binding reads only the resource, the file's profile comment and the setting, all
      // unchanged; a document that only moved is the same resource, its spans moved in place
      // (manifest/parse.ts). The binding is kept too, pointed at the new version (the previous
      // one is superseded), so nothing computed on it needs redoing.
      if (before !== undefined && before.resource === r) {
        before.manifest = manifest;
        resources.push(before);
        continue;
      }
      fresh.push(i);
      resources.push(bindResource(manifest, r, typeof this.profileSetting === 'function' ? this.profileSetting(uri) : this.profileSetting, this.server));
    }
    const analysis: FileAnalysis = { manifest, resources, ...(version !== undefined ? { version } : {}) };
    // Bindings kept as they are (the same object at the same place) stay indexed under the same keys.
    // When the file kept its number of resources, only the fresh indexes can differ: the index and
    // the comparison below look at those only (a keystroke looks at the document it changed).
    const changed = existing && existing.resources.length === analysis.resources.length ? fresh : undefined;
    if (existing) this.unindex(existing, analysis, changed);
    this.files.set(uri, analysis);
    this.indexFile(analysis, existing, changed);
    this.noteChange(existing, analysis, changed);
    if (changed) this.memo.edits.set(analysis, { fresh: changed, own: this.memo.ownFiles.get(existing!), cross: this.memo.crossFiles.get(existing!) });
    return analysis;
  }

  delete(uri: string): void {
    const existing = this.files.get(uri);
    if (!existing) return;
    this.unindex(existing);
    this.files.delete(uri);
    this.noteChange(existing, undefined);
  }

  /** Indexes a file's bindings, but those it shares (at the same place) with `other` (all but the `only` indexes, when given). */
  private indexFile(f: FileAnalysis, other?: FileAnalysis, only?: readonly number[]): void {
    for (const i of only ?? f.resources.keys()) {
      const r = f.resources[i]!;
      if (other?.resources[i] === r) continue;
      const record = recordOf(r);
      this.keys.add(record);
      this.bindings.set(record, r);
    }
  }

  /** Takes a file's bindings out of the indexes, but those it shares (at the same place) with `other` (all but the `only` indexes, when given). */
  private unindex(f: FileAnalysis, other?: FileAnalysis, only?: readonly number[]): void {
    for (const i of only ?? f.resources.keys()) {
      const r = f.resources[i]!;
      if (other?.resources[i] === r) continue;
      const record = recordOf(r);
      this.keys.remove(record);
      this.bindings.delete(record);
    }
  }

  private noteChange(before: FileAnalysis | undefined, after: FileAnalysis | undefined, only?: readonly number[]): void {
    this.common = undefined;
    this.byType = undefined;
    this.all = undefined;
    this.whole = undefined;
    const u = before?.resources ?? [];
    const v = after?.resources ?? [];
    if (before && after && u.length === v.length) {
      // Side by side: a binding kept (the same object in both) has the same facts and the same
      // place, so only the bindings an edit made are compared (a keystroke serialises one
      // resource's facts, not every resource's).
      let sameFacts = true;
      let sameOwners = true;
      for (const i of only ?? u.keys()) {
        const [r, s] = [u[i]!, v[i]!];
        if (r === s) continue;
        if (sameFacts && factsOf(recordOf(r)) !== factsOf(recordOf(s))) sameFacts = false;
        if (sameOwners && (isOwner(r) || isOwner(s)) && !(isOwner(r) && isOwner(s) && r.top === s.top)) sameOwners = false;
      }
      if (!sameFacts) this.crossGeneration++;
      if (!sameOwners) this.ownerWorld++;
      return;
    }
    this.crossGeneration++;
    const owners = (list: readonly BoundResource[]) => list.filter(isOwner).map((r) => r.top);
    const [x, y] = [owners(u), owners(v)];
    if (x.length !== y.length || x.some((t, i) => t !== y[i])) this.ownerWorld++;
  }

  get(uri: string): FileAnalysis | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  get size(): number {
    return this.files.size;
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

  countOf(resourceType: string): number {
    return this.keys.countOf(resourceType);
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

  /** Resources of a type whose externalId (exactly) or human name (any case) is `k`. */
  lookup(resourceType: string, k: string): BoundResource[] {
    return this.keys.lookup(resourceType, k).map((record) => this.bindings.get(record)!);
  }

  /** What the cross-file rules read of the whole workspace. */
  view(): Workspace {
    return (this.whole ??= viewOf(this.allResources().map(recordOf), this.keys, (uri) => this.relativePath(uri), this.cacheKey()));
  }

  /** A view whose rules report on the given files only (lookups still see everything). */
  scoped(uris: readonly string[]): Workspace {
    const resources: BoundResource[] = [];
    for (const uri of uris) for (const r of this.files.get(uri)?.resources ?? []) resources.push(r);
    return this.scopedTo(resources);
  }

  /** A view whose rules report on the given resources only. */
  scopedTo(resources: readonly BoundResource[]): Workspace {
    return viewOf(resources.map(recordOf), this.keys, (uri) => this.relativePath(uri), this.cacheKey());
  }

  private cacheKey(): Workspace['cache'] {
    const ownerWorld = () => this.ownerWorld;
    return {
      scope: this,
      get ownerWorld() {
        return ownerWorld();
      },
    };
  }
}

/**
 * How messages name the files of a workspace made of `roots` holding `uris`: as
 * WorkspaceIndex.relativePath does, for a lint that keeps no index (lint/apart.ts).
 */
export function relativePaths(roots: readonly string[], uris: Iterable<string>): (uri: string) => string {
  const folders = folderUris(roots);
  let common: string | undefined;
  return (uri) => relativeTo(innermostRoot(folders, uri) ?? (common ??= commonFolderOf(uris)), uri);
}

function folderUris(roots: readonly string[]): string[] {
  return roots.map((r) => (r.endsWith('/') ? r : r + '/'));
}

function innermostRoot(roots: readonly string[], uri: string): string | undefined {
  return roots.filter((r) => uri.startsWith(r)).sort((a, b) => b.length - a.length)[0];
}

/** The folder all the files share ('' when none). */
function commonFolderOf(uris: Iterable<string>): string {
  let common: string | undefined;
  for (const uri of uris) {
    const folder = uri.slice(0, uri.lastIndexOf('/') + 1);
    if (common === undefined) common = folder;
    while (!folder.startsWith(common)) common = common.slice(0, common.lastIndexOf('/', common.length - 2) + 1);
  }
  return common ?? '';
}

function relativeTo(folder: string, uri: string): string {
  return decodeURIComponent(folder && uri.startsWith(folder) ? uri.slice(folder.length) : uri);
}

/** Users and Groups: what owner resolution reads (ownerWorld). */
function isOwner(r: BoundResource): boolean {
  return r.resourceType?.name === 'User' || r.resourceType?.name === 'Group';
}

export { HUMAN_KEY_ATTRIBUTES, humanKeyOf } from './keys';

/** How a resource is named in messages and outlines. */
export function labelOf(r: BoundResource): string {
  return recordOf(r).label;
}
