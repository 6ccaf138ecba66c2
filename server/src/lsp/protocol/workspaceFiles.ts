/**
 * Where there is no file system for the server (VS Code for the Web: the server runs in a Web
 * Worker), the client finds the workspace's manifests (`workspace.findFiles`, `workspace.fs`)
 * and sends them, then their changes from a FileSystemWatcher. Shared by the server (server.ts)
 * and the browser client (client/src/browser.ts); constants and types only.
 */
export const WORKSPACE_FILES_NOTIFICATION = 'scimAgents/workspaceFiles';

export interface WorkspaceFilesParams {
  /** Manifests found or changed, with their whole text. */
  changed: { uri: string; text: string }[];
  /** Manifests deleted (URIs). */
  deleted: string[];
}

/** The most the client sends in one notification; more files go in further notifications. */
export const WORKSPACE_FILES_BATCH = 200;
