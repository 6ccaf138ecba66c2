/**
 * Custom messages between the VS Code client and the SCIM Agents language server.
 * Method names are prefixed `scimAgents/`. Keep this file in step with the server's
 * notification senders (server/src/lsp): the payloads are the contract.
 */
import { NotificationType } from 'vscode-languageclient';

/** Server → client, after each validation of a document. */
export interface StatusParams {
  /** The validated document. */
  uri: string;
  /** The profile that validated it: `abbey-00`, `wzdk-00`, or a future one. */
  profile: string;
  /** Wall time of the validation in milliseconds. */
  durationMs: number;
  /** How many resources the document holds (optional: older servers do not send it). */
  resources?: number;
}

export const StatusNotification = new NotificationType<StatusParams>('scimAgents/status');

/** The user's machine-scoped endpoint settings, the only endpoint the server takes from the editor. */
export interface EndpointParams {
  url?: string;
  allowInsecureHttp?: boolean;
}

/** Client → server whenever the machine-scoped endpoint settings change. */
export const DidChangeEndpointNotification = new NotificationType<EndpointParams>('scimAgents/didChangeEndpoint');

/** Sent once in `initialize` so the server knows what the editor allows. */
export interface InitializationOptions {
  /** False in a Restricted Mode window: validate, but never provision or call an endpoint. The server assumes false when absent. */
  workspaceTrusted: boolean;
  /** The command that shows a rule's help page (the server then offers it as a code action). */
  ruleHelpCommand?: string;
  /** The machine-scoped endpoint setting (VS Code never takes it from workspace files). */
  endpoint: EndpointParams;
}
