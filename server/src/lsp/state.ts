import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../rules/types';
import { WorkspaceIndex, type FileAnalysis } from '../workspace/index';
import { lintCrossFile, lintFile } from '../lint/linter';
import type { ServerProfileState } from '../schema/served';
import { DEFAULT_SETTINGS, type ServerSettings } from './settings';
import { applySeverities } from '../config/resolve';
import type { EffectiveConfig } from '../config/types';
import { isConfigUri } from './projectConfig';
import { BaselineStore } from './baseline';

function byPosition(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code);
}

interface Cached {
  analysis: FileAnalysis;
  findings: Finding[];
}

/**
 * The server's view of the workspace: the engine's index kept in step with open documents
 * (lazily, per version) and with manifests on disk, plus cached findings per file. A file's
 * own rules (syntax, per resource) are cached per parsed version; its cross-file findings per
 * parsed version and cross-file epoch, which moves only when a change can alter other files'
 * findings (a key, a reference, a credential...). Both are computed for one file at a time
 * (the cross-file rules through the index's per-key lookups), so validating a file costs that
 * file, and validating the workspace costs each file once.
 */
export class ServerState {
  readonly index: WorkspaceIndex;
  settings: ServerSettings = { ...DEFAULT_SETTINGS };
  /** Untrusted until the client says otherwise (initializationOptions.workspaceTrusted). */
  workspaceTrusted = false;
  /** The connected server's user names and group names (scimAgents.refreshDirectory), for completion. */
  serverDirectory: { host: string; users: string[]; groups: string[] } | undefined;
  /** The client's command that renders a rule's help page, if it has one (initializationOptions). */
  ruleHelpCommand: string | undefined;
  private settingsEpoch = 0;
  private readonly local = new Map<string, Cached>();
  private readonly cross = new Map<string, Cached & { epoch: string }>();

  /** The project configuration (.scim-agents.yaml) of a manifest; set by the server, none by default. */
  private configOf: (uri: string) => EffectiveConfig | undefined = () => undefined;

  constructor(readonly documents: TextDocuments<TextDocument>) {
    this.index = new WorkspaceIndex(this.profileChoice());
  }

  applySettings(settings: ServerSettings): void {
    const rebind = settings.profile !== this.settings.profile;
    this.settings = settings;
    if (rebind) this.index.setProfile(this.profileChoice());
    this.local.clear();
    this.cross.clear();
    this.settingsEpoch++;
  }

  /** Changes whenever any file's cross-file findings may have changed. */
  get crossEpoch(): string {
    return `${this.settingsEpoch}:${this.index.crossGeneration}`;
  }

  /** New served definitions for the `server` profile: every binding and finding is redone. */
  applyServerProfile(server: ServerProfileState): void {
    this.index.setServerProfile(server);
    this.local.clear();
    this.cross.clear();
    this.settingsEpoch++;
  }

  /** A configuration file changed (or the source of configurations did): every file is bound and linted again. */
  setConfigSource(configOf: (uri: string) => EffectiveConfig | undefined): void {
    this.configOf = configOf;
    this.index.setProfile(this.profileChoice());
    this.local.clear();
    this.cross.clear();
    this.settingsEpoch++;
  }

  configFor(uri: string): EffectiveConfig | undefined {
    return this.configOf(uri);
  }

  /** A set editor setting wins over the file's configuration (as a CLI flag does), which wins over auto. */
  private profileChoice(): (uri: string) => ServerSettings['profile'] {
    return (uri) => (this.settings.profile !== 'auto' ? this.settings.profile : (this.configOf(uri)?.profile ?? 'auto'));
  }

  private readonly policies = (uri: string) => this.configOf(uri)?.policies;
  private readonly baselines = new BaselineStore();

  /** The analysis of a file, re-parsed first when its open document moved on. */
  analysis(uri: string): FileAnalysis | undefined {
    if (isConfigUri(uri)) return undefined; // a .scim-agents.yaml is configuration, never a manifest
    const doc = this.documents.get(uri);
    const current = this.index.get(uri);
    if (doc && (!current || current.version !== doc.version)) return this.setText(uri, doc.getText(), doc.version);
    return current;
  }

  setText(uri: string, text: string, version?: number): FileAnalysis {
    return this.index.set(uri, text, version);
  }

  remove(uri: string): boolean {
    if (!this.index.get(uri)) return false;
    this.index.delete(uri);
    this.local.delete(uri);
    this.cross.delete(uri);
    return true;
  }

  /** Findings of the file's own rules for its current version. */
  localFindings(uri: string): Finding[] {
    const analysis = this.analysis(uri);
    if (!analysis) return [];
    const cached = this.local.get(uri);
    if (cached && cached.analysis === analysis) return cached.findings;
    const findings = lintFile(analysis, { rules: this.settings.rules, policies: this.policies });
    this.local.set(uri, { analysis, findings });
    return findings;
  }

  /** Findings of the cross-file rules on the file's resources, for its version and the epoch. */
  crossFileFindings(uri: string): Finding[] {
    const analysis = this.analysis(uri);
    if (!analysis) return [];
    const epoch = this.crossEpoch;
    const cached = this.cross.get(uri);
    if (cached && cached.analysis === analysis && cached.epoch === epoch) return cached.findings;
    const findings = lintCrossFile(this.index, uri, { rules: this.settings.rules, policies: this.policies }, epoch);
    this.cross.set(uri, { analysis, epoch, findings });
    return findings;
  }

  /** Every finding of a file, for its current version. */
  findings(uri: string): Finding[] {
    const local = this.localFindings(uri);
    const cross = this.crossFileFindings(uri);
    const all = cross.length === 0 ? local : [...local, ...cross].sort(byPosition);
    const config = this.configOf(uri);
    const rules = config?.rules;
    const configured = rules && Object.keys(rules).length > 0 ? applySeverities(all, rules) : all;
    return config?.baseline ? this.baselines.apply(this.index, uri, configured, config.baseline, this.settings.baselineMode) : configured;
  }
}
