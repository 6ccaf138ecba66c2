import { NotificationType } from 'vscode-languageserver';

/**
 * Server → client after each validation of an open document (the VS Code client shows it in a
 * language status item). Keep in step with client/src/protocol.ts.
 */
export interface StatusParams {
  uri: string;
  /** The profile that validated the document (of its first resource, else the setting). */
  profile: string;
  /** Wall time of the validation in milliseconds. */
  durationMs: number;
  /** How many resources the document holds. */
  resources: number;
}

export const StatusNotification = new NotificationType<StatusParams>('scimAgents/status');
