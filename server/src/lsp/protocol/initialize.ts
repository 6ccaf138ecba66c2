/**
 * What the client tells the server at `initialize` and afterwards about the editor: trust, the
 * user's machine-scoped endpoint setting (the only endpoint the server takes from the editor:
 * never from `workspace/configuration`, which some editors answer from the project's files) and
 * the editor commands the server's answers may run.
 */

/**
 * The settings section, in VS Code's settings and in `workspace/configuration`: spelled so that
 * the Settings UI, which derives titles from the key, reads "SCIM Agents". Also the language
 * client's id (the prefix of `SCIMAgents.trace.server`).
 */
export const SETTINGS_SECTION = 'SCIMAgents';

/** The user's machine-scoped endpoint settings (`SCIMAgents.endpoint.*`); none set: scim/endpointUrl.ts DEFAULT_ENDPOINT. */
export interface EndpointParams {
  url?: string;
  allowInsecureHttp?: boolean;
}

/** Client → server whenever the machine-scoped endpoint settings change; payload `EndpointParams`. */
export const DID_CHANGE_ENDPOINT_NOTIFICATION = 'scimAgents/didChangeEndpoint';

/** `initializationOptions`. The server reads every field as untrusted input and keeps only well-formed values. */
export interface InitializationOptions {
  /** Only `true` trusts the workspace: a client that says nothing gets Restricted Mode (validate, never call an endpoint). */
  workspaceTrusted?: boolean;
  /** The machine-scoped endpoint setting; later changes come as DID_CHANGE_ENDPOINT_NOTIFICATION. */
  endpoint?: EndpointParams;
  /** An editor command that shows a rule's help page, given the rule code (offered as a code action). */
  ruleHelpCommand?: string;
  /** Command ids code lenses run instead of the server's own (VS Code's add the token and the UI). */
  codeLensCommands?: { plan?: string };
  /** Debounce of diagnostics after an edit, in ms (default 150). */
  diagnosticsDelayMs?: number;
  /** Log stack traces of failures (the SCIMAgents.debug setting); otherwise one line each. */
  debug?: boolean;
}
