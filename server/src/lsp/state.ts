import path from 'node:path';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, SeveritySetting } from '../rules/types';
import { WorkspaceIndex, type FileAnalysis } from '../workspace/index';
import { lintCrossFile, lintFile } from '../lint/linter';
import type { ServerProfile, ServerProfileState } from '../schema/served';
import { FolderSettings, sameSettings, type ServerSettings } from './settings';
import { applySeverities } from '../config/resolve';
import type { EffectiveConfig } from '../config/types';
import { isConfigUri } from './projectConfig';
import { BaselineStore } from './baseline';
import type { DocumentChanges } from './documentChanges';

/** The same answer of the schema cache: the same reason it has none, or the definitions of one fetch. */
function sameServed(a: ServerProfileState, b: ServerProfileState): boolean {
  if ('unavailable' in a || 'unavailable' in b) return 'unavailable' in a && 'unavailable' in b && a.unavailable === b.unavailable;
  const [x, y] = [a.profile as Partial<ServerProfile>, b.profile as Partial<ServerProfile>];
  return x === y || (x.endpoint !== undefined && x.endpoint === y.endpoint && x.fetchedAt === y.fetchedAt);
}

function byPosition(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code);
}

/**
 * The server's view of the workspace: the engine's index kept in step with open documents
 * (lazily, per version) and with manifests on disk. The index owns the text the server works on
 * (TextDocuments is only the buffer the editor's edits are applied to, read here) and, in its
 * memo (workspace/findings.ts), the findings: a file's own rules (syntax, per resource) are kept
 * per parsed version and settings; its cross-file findings per parsed version and cross-file
 * epoch, which moves only when a change can alter other files' findings (a key, a reference, a
 * credential...) or the settings change. Both are computed for one file at a time (the
 * cross-file rules through the index's per-key lookups), so validating a file costs that file,
 * and validating the workspace costs each file once.
 */
export class ServerState {
  readonly index: WorkspaceIndex;
  /** The settings of each workspace folder and of the window; read per file through `settingsFor`. */
  private scopedSettings = new FolderSettings();

  /** Untrusted until the client says otherwise (initializationOptions.workspaceTrusted). */
  workspaceTrusted = false;
  /** The connected server's user names and group names (scimAgents.refreshDirectory), for completion. */
  serverDirectory: { host: string; users: string[]; groups: string[] } | undefined;
  /** The client's command that renders a rule's help page, if it has one (initializationOptions). */
  ruleHelpCommand: string | undefined;
  private settingsEpoch = 0;
  /** Moves when any folder's settings do (cross-file findings are computed with the rules of the file reported on). */
  private foldersEpoch = 0;
  /** Per file, how often its folder's settings changed: its own findings are kept until they do. */
  private readonly fileSettingsVersion = new Map<string, number>();
  /** Documents whose edit path was rehearsed (a document opened again is a new object). */
  private readonly rehearsed = new WeakSet<TextDocument>();

  /** The project configuration (.scim-agents.yaml) of a manifest; set by the server, none by default. */
  private configOf: (uri: string) => EffectiveConfig | undefined = () => undefined;

  /** `changes`, when the documents' changes are noted there, spares each edit's parse a comparison of the texts. */
  constructor(
    readonly documents: TextDocuments<TextDocument>,
    private readonly changes?: DocumentChanges,
  ) {
    this.index = new WorkspaceIndex(this.profileChoice());
  }

  /** The settings that apply to a file: those of the innermost workspace folder holding it, else the window's. */
  settingsFor(uri: string): ServerSettings {
    return this.scopedSettings.of(uri);
  }

  /** The window's settings: for files outside every folder, and for what is not about one file. */
  get windowSettings(): ServerSettings {
    return this.scopedSettings.window;
  }

  /** The settings of every scope (to compare a new reading with). */
  get allSettings(): FolderSettings {
    return this.scopedSettings;
  }

  /**
   * New settings (of the window and the folders): the files whose settings changed are bound
   * again when their profile changed and linted again. Returns those files; the others keep
   * their findings.
   */
  applySettings(next: FolderSettings): string[] {
    const before = this.scopedSettings;
    if (before.equals(next)) return [];
    this.scopedSettings = next;
    const affected: string[] = [];
    const rebind: string[] = [];
    // One comparison per pair of scopes, not per file.
    const verdicts = new Map<string, { changed: boolean; profile: boolean }>();
    for (const uri of this.index.uris()) {
      const scopes = `${before.folderOf(uri) ?? ''}\0${next.folderOf(uri) ?? ''}`;
      let verdict = verdicts.get(scopes);
      if (!verdict) {
        const [a, b] = [before.of(uri), next.of(uri)];
        verdict = { changed: !sameSettings(a, b), profile: a.profile !== b.profile };
        verdicts.set(scopes, verdict);
      }
      if (!verdict.changed) continue;
      affected.push(uri);
      this.fileSettingsVersion.set(uri, (this.fileSettingsVersion.get(uri) ?? 0) + 1);
      if (verdict.profile) rebind.push(uri);
    }
    if (rebind.length > 0) this.index.rebind(rebind);
    if (affected.length > 0) this.foldersEpoch++;
    return affected;
  }

  /**
   * The rule severities of the settings all these files share, for a lint over several of them
   * (the one that gates a plan); none, so the defaults, when their folders' settings differ, as
   * the CLI does with the files' configurations.
   */
  sharedRules(uris: readonly string[]): Record<string, SeveritySetting> {
    const all = uris.map((uri) => this.settingsFor(uri).rules);
    const first = all[0] ?? this.windowSettings.rules;
    return all.every((rules) => JSON.stringify(rules) === JSON.stringify(first)) ? first : {};
  }

  /** Changes whenever any file's cross-file findings may have changed. */
  get crossEpoch(): string {
    return `${this.settingsEpoch}:${this.foldersEpoch}:${this.index.crossGeneration}`;
  }

  /** New served definitions for the `server` profile: every binding and finding is redone (the same ones again change nothing). */
  applyServerProfile(server: ServerProfileState): void {
    if (sameServed(this.index.serverProfile, server)) return;
    this.index.setServerProfile(server);
    this.settingsEpoch++;
  }

  /** A configuration file changed (or the source of configurations did): every file is bound and linted again. */
  setConfigSource(configOf: (uri: string) => EffectiveConfig | undefined): void {
    this.configOf = configOf;
    this.index.setProfile(this.profileChoice());
    this.settingsEpoch++;
  }

  configFor(uri: string): EffectiveConfig | undefined {
    return this.configOf(uri);
  }

  /** A set editor setting (of the file's folder) wins over the file's configuration (as a CLI flag does), which wins over auto. */
  private profileChoice(): (uri: string) => ServerSettings['profile'] {
    return (uri) => {
      const setting = this.settingsFor(uri).profile;
      return setting !== 'auto' ? setting : (this.configOf(uri)?.profile ?? 'auto');
    };
  }

  private readonly policies = (uri: string) => this.configOf(uri)?.policies;
  private readonly baselines = new BaselineStore();

  /** The analysis of a file, re-parsed first when its open document moved on. */
  analysis(uri: string): FileAnalysis | undefined {
    if (isConfigUri(uri)) return undefined; // a .scim-agents.yaml is configuration, never a manifest
    const doc = this.documents.get(uri);
    const current = this.index.get(uri);
    if (!doc || (current && current.version === doc.version)) return current;
    const edited = current?.version !== undefined ? this.changes?.take(uri, current.version, doc.version) : undefined;
    return this.index.set(uri, doc.getText(), doc.version, edited);
  }

  /**
   * An opened document's edit path, run once after its first diagnostics, before the user types
   * (WorkspaceIndex.rehearseEdit): the first keystroke costs what later ones do. Its findings
   * too, which the lints reuse from the opening as they would after a keystroke.
   */
  rehearseEdit(uri: string): void {
    const doc = this.documents.get(uri);
    if (!doc || this.rehearsed.has(doc) || this.index.get(uri)?.version !== doc.version) return;
    this.rehearsed.add(doc);
    this.index.rehearseEdit(uri);
    this.findings(uri);
  }

  setText(uri: string, text: string, version?: number): FileAnalysis {
    return this.index.set(uri, text, version);
  }

  remove(uri: string): boolean {
    if (!this.index.get(uri)) return false;
    this.index.delete(uri);
    this.fileSettingsVersion.delete(uri);
    return true;
  }

  /** Findings of the file's own rules for its current version. */
  localFindings(uri: string): Finding[] {
    const analysis = this.analysis(uri);
    if (!analysis) return [];
    return lintFile(
      analysis,
      { rules: this.settingsFor(uri).rules, policies: this.policies },
      this.index.memo,
      `${this.settingsEpoch}:${this.fileSettingsVersion.get(uri) ?? 0}`,
    );
  }

  /** Findings of the cross-file rules on the file's resources, for its version and the epoch. */
  crossFileFindings(uri: string): Finding[] {
    if (!this.analysis(uri)) return [];
    return lintCrossFile(this.index, uri, { rules: this.settingsFor(uri).rules, policies: this.policies }, this.crossEpoch);
  }

  /** Every finding of a file, for its current version. */
  findings(uri: string): Finding[] {
    const local = this.localFindings(uri);
    const cross = this.crossFileFindings(uri);
    const all = cross.length === 0 ? local : [...local, ...cross].sort(byPosition);
    const config = this.configOf(uri);
    const rules = config?.rules;
    const configured = rules && Object.keys(rules).length > 0 ? applySeverities(all, rules) : all;
    return config?.baseline
      ? this.baselines.apply(this.index, uri, configured, config.baseline, this.settingsFor(uri).baselineMode, config.source && path.dirname(config.source))
      : configured;
  }
}
