/**
 * The language server's side of .scim-agents.yaml: each workspace folder has its own resolver
 * (the nearest file above a manifest, not above the folder), the editor's set settings of that
 * folder act as the CLI's flags (they win over the file), a configuration file open in the editor counts with
 * its unsaved text, and the configuration files' own problems are published as their
 * diagnostics. Reading a configuration runs nothing, so this is active in untrusted workspaces.
 */
import path from 'node:path';
import type { Connection, Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocuments } from 'vscode-languageserver';
import { ConfigResolver } from '../config/discover';
import { CONFIG_FILE_NAME, CONFIG_PROBLEM_CODE, type EffectiveConfig } from '../config/types';
import { LineIndex } from '../manifest/text';
import { RULE_CODES } from '../rules/registry';
import { pathToUri, uriToPath } from '../util/files';
import type { ServerSettings } from './settings';

export function isConfigUri(uri: string): boolean {
  return uri.endsWith(`/${CONFIG_FILE_NAME}`);
}

export class ProjectConfigs {
  private resolvers = new Map<string, ConfigResolver>();
  private readonly cache = new Map<string, EffectiveConfig | undefined>();
  /** Configuration files whose problems are shown, by uri. */
  private readonly shown = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private folders: () => string[],
    /** The settings of a manifest's folder (of the window outside every folder). */
    private settingsFor: (uri: string) => ServerSettings,
  ) {}

  /** What applies to a manifest; undefined for one that is not a file. */
  effective(uri: string): EffectiveConfig | undefined {
    if (this.cache.has(uri)) return this.cache.get(uri);
    const file = uriToPath(uri);
    const result = file ? this.resolverFor(file, uri).effective(file) : undefined;
    this.cache.set(uri, result);
    return result;
  }

  /** Forgets everything read: a configuration file, the folders or the settings changed. */
  reset(): void {
    this.resolvers = new Map();
    this.cache.clear();
  }

  /** Publishes the problems of every configuration file in use (and clears those no longer in use). */
  async publishProblems(): Promise<void> {
    const now = new Set<string>();
    for (const resolver of this.resolvers.values()) {
      for (const loaded of resolver.loaded()) {
        const uri = pathToUri(loaded.path);
        if (now.has(uri)) continue;
        now.add(uri);
        const lines = new LineIndex(loaded.text);
        const diagnostics: Diagnostic[] = loaded.problems.map((p) => ({
          range: { start: lines.positionAt(p.span.start), end: lines.positionAt(p.span.end) },
          severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
          code: CONFIG_PROBLEM_CODE,
          source: 'scim-agents',
          message: p.message,
        }));
        await this.connection.sendDiagnostics({ uri, diagnostics });
      }
    }
    for (const uri of this.shown) if (!now.has(uri)) await this.connection.sendDiagnostics({ uri, diagnostics: [] });
    this.shown.clear();
    for (const uri of now) this.shown.add(uri);
  }

  private resolverFor(file: string, uri: string): ConfigResolver {
    const folder = this.folders()
      .filter((f) => file.startsWith(f.endsWith(path.sep) ? f : f + path.sep))
      .sort((a, b) => b.length - a.length)[0];
    const key = folder ?? '';
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      // One resolver per folder, and settings are per folder: any file of it gives its flags.
      const s = this.settingsFor(uri);
      resolver = new ConfigResolver({
        knownCodes: RULE_CODES,
        ...(folder ? { stopAt: folder, confineTo: folder } : {}),
        flags: { ...(s.profile !== 'auto' ? { profile: s.profile } : {}), rules: s.rules },
        textOf: (p) => this.documents.get(pathToUri(p))?.getText(),
      });
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }
}

/**
 * Keeps the server's state in step with the configuration files: re-reads them and re-lints
 * every manifest when one changes (on disk, or as typed, debounced), and shows their problems.
 */
export class ConfigWatcher {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly configs: ProjectConfigs,
    private readonly apply: (configOf: (uri: string) => EffectiveConfig | undefined) => void,
    private readonly relint: () => Promise<void>,
    private readonly delayMs = 250,
  ) {
    apply((uri) => configs.effective(uri));
  }

  /** Something configurations depend on changed: read them again, lint again, show their problems. */
  async changed(): Promise<void> {
    this.configs.reset();
    this.apply((uri) => this.configs.effective(uri));
    await this.relint();
    await this.configs.publishProblems();
  }

  /** A configuration file is being edited: the same, once typing pauses. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.changed();
    }, this.delayMs);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}
