/**
 * What the language server needs from the platform it runs on. The Node server (dist/server.js,
 * `scim-agents lsp`) reads the workspace from disk and provisions; the browser server
 * (dist/web/server.js, a Web Worker) has neither, and gets the manifests from the client
 * (protocol/workspaceFiles.ts). server.ts sees only this interface, so it bundles for both.
 */
import type { Connection } from 'vscode-languageserver';
import type { CommandRegistry } from './commands';
import type { DiagnosticsPublisher } from './diagnostics/publisher';
import type { WorkspaceFilesParams } from './protocol';
import type { Provisioning } from './provisioning';
import type { TrustedEndpoint } from './provisioning/endpoint';
import type { ServerSchemas } from './serverSchemas';
import type { ServerState } from './state';

export interface WorkspaceFiles {
  /** A workspace folder URI as a path this host can scan, or undefined (not on disk). */
  uriToPath(uri: string): string | undefined;
  /**
   * Every manifest under the folder path, as URIs: the default names, plus the `include` globs
   * when the workspace is trusted (rejected globs are logged). `seen` counts each real file once.
   */
  scanFolder(root: string, include: readonly string[], trusted: boolean, seen: Set<string>, log: (message: string) => void): Promise<string[]>;
  /** Whether a workspace-relative path names a manifest (the `include` globs only when trusted). */
  isManifest(relativePath: string, include: readonly string[], trusted: boolean): boolean;
  /** A file's text, or undefined when it cannot be read (or lies outside `folders`, when given). */
  readText(uri: string, folders?: readonly string[]): Promise<string | undefined>;
  /** Files the client sent (protocol/workspaceFiles.ts), for a host that has no file system. */
  received?(params: WorkspaceFilesParams): void;
}

export interface ServerHost {
  createConnection(): Connection;
  files: WorkspaceFiles;
  installProvisioning(
    connection: Connection,
    state: ServerState,
    registry: CommandRegistry,
    endpoint: TrustedEndpoint,
    diagnostics: DiagnosticsPublisher,
  ): Provisioning;
  /** Commands only this platform can run (import writes files), added to the server's registry. */
  registerCommands?(registry: CommandRegistry): void;
  installServerSchemas(
    registry: CommandRegistry,
    deps: { state: ServerState; endpointSettings: Provisioning['endpointSettings']; revalidate: () => Promise<void> },
  ): ServerSchemas;
}
