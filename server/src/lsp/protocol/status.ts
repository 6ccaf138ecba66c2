/** Server → client after each validation of an open document (VS Code shows it in a language status item). */
export const STATUS_NOTIFICATION = 'scimAgents/status';

export interface StatusParams {
  /** The validated document. */
  uri: string;
  /** The profile that validated it (of its first resource, else the setting): `abbey-00`, `wzdk-00`, `server`... */
  profile: string;
  /** The server's time for the validation in milliseconds, from the document's turn to its publication. */
  durationMs: number;
  /** How many resources the document holds. */
  resources: number;
}
