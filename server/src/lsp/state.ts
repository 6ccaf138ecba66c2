import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { RULES } from '../rules/registry';
import type { Finding, SeveritySetting } from '../rules/types';
import { WorkspaceIndex, type FileAnalysis } from '../workspace/index';
import { lintWorkspace } from '../workspace/linter';
import type { ServerProfileState } from '../schema/served';
import { DEFAULT_SETTINGS, type ServerSettings } from './settings';
import { applySeverities } from '../config/resolve';
import type { EffectiveConfig } from '../config/types';
import { isConfigUri } from './projectConfig';
import { BaselineStore } from './baseline';

const WORKSPACE_CODES = RULES.filter((r) => r.scope === 'workspace').map((r) => r.code);
const LOCAL_CODES = RULES.filter((r) => r.scope !== 'workspace').map((r) => r.code);

function withOff(base: Record<string, SeveritySetting>, codes: readonly string[]): Record<string, SeveritySetting> {
  const out = { ...base };
  for (const c of codes) out[c] = 'off';
  return out;
}

function byPosition(a: Finding, b: Finding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code);
}

/**
 * The server's view of the workspace: the engine's index kept in step with open documents
 * (lazily, per version) and with manifests on disk, plus cached findings. A file's own rules
 * (syntax, per resource) are cached per parsed version; the cross-file rules rerun whenever any
 * file changed. So an edit costs one file's parse and rules plus one cross-file pass.
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
  /** Bumped whenever the index changes; cross-file findings are valid for one generation. */
  private generation = 0;
  private readonly local = new Map<string, { analysis: FileAnalysis; findings: Finding[] }>();
  private crossFile: { generation: number; findings: Map<string, Finding[]> } | undefined;

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
    this.crossFile = undefined;
    this.generation++;
  }

  /** New served definitions for the `server` profile: every binding and finding is redone. */
  applyServerProfile(server: ServerProfileState): void {
    this.index.setServerProfile(server);
    this.local.clear();
    this.crossFile = undefined;
    this.generation++;
  }

  /** A configuration file changed (or the source of configurations did): every file is bound and linted again. */
  setConfigSource(configOf: (uri: string) => EffectiveConfig | undefined): void {
    this.configOf = configOf;
    this.index.setProfile(this.profileChoice());
    this.local.clear();
    this.crossFile = undefined;
    this.generation++;
  }

  configFor(uri: string): EffectiveConfig | undefined {
    return this.configOf(uri);
  }

  /** A set editor setting wins over the file's configuration (as a CLI flag does), which wins over auto. */
  private profileChoice(): (uri: string) => ServerSettings['profile'] {
    return (uri) => (this.settings.profile !== 'auto' ? this.settings.profile : this.configOf(uri)?.profile ?? 'auto');
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
    const before = this.index.get(uri);
    const after = this.index.set(uri, text, version);
    if (after !== before) this.generation++;
    return after;
  }

  remove(uri: string): boolean {
    if (!this.index.get(uri)) return false;
    this.index.delete(uri);
    this.local.delete(uri);
    this.generation++;
    return true;
  }

  /** Findings of the file's own rules for its current version. */
  localFindings(uri: string): Finding[] {
    const analysis = this.analysis(uri);
    if (!analysis) return [];
    const cached = this.local.get(uri);
    if (cached && cached.analysis === analysis) return cached.findings;
    const findings = lintWorkspace(this.index, { rules: withOff(this.settings.rules, WORKSPACE_CODES), policies: this.policies }, new Set([uri])).get(uri) ?? [];
    this.local.set(uri, { analysis, findings });
    return findings;
  }

  /** Findings of the cross-file rules for every file, recomputed when anything changed. */
  crossFileFindings(): Map<string, Finding[]> {
    // Open documents may have moved on since they were last parsed.
    for (const doc of this.documents.all()) if (this.index.get(doc.uri)) this.analysis(doc.uri);
    if (this.crossFile && this.crossFile.generation === this.generation) return this.crossFile.findings;
    const findings = lintWorkspace(this.index, { rules: withOff(this.settings.rules, LOCAL_CODES), policies: this.policies });
    this.crossFile = { generation: this.generation, findings };
    return findings;
  }

  /** Every finding of a file, for its current version. */
  findings(uri: string): Finding[] {
    const local = this.localFindings(uri);
    const cross = this.crossFileFindings().get(uri) ?? [];
    const all = cross.length === 0 ? local : [...local, ...cross].sort(byPosition);
    const config = this.configOf(uri);
    const rules = config?.rules;
    const configured = rules && Object.keys(rules).length > 0 ? applySeverities(all, rules) : all;
    return config?.baseline ? this.baselines.apply(this.index, uri, configured, config.baseline, this.settings.baselineMode) : configured;
  }
}
