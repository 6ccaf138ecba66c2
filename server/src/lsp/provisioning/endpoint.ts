/**
 * Where the provisioning commands send requests, and with which token. A token travels only to
 * an endpoint the user chose outside the workspace's files, so the endpoint comes from, in
 * order: the argument of a command the user ran; what the client sent as the user's machine
 * setting (`initializationOptions.endpoint` and the `scimAgents/didChangeEndpoint`
 * notification; VS Code never takes a machine-scoped setting from workspace files); the server
 * process's environment (`SCIM_AGENTS_ENDPOINT`); else the local sandbox's default address.
 * Never from `workspace/configuration`: editors such as Neovim (neoconf, coc), Helix and Zed
 * answer it from files of the project. The token comes from the argument `token` (the VS Code
 * client reads it from SecretStorage) or the server's environment (other editors). Plain
 * http:// only to loopback unless the user allowed it (machine setting or environment).
 * Nothing here ever puts the token in a message.
 */
import type { ScimAuth } from '../../scim';
import { checkBaseUrl, DEFAULT_ENDPOINT } from '../../scim/endpointUrl';
import type { EndpointParams, FailureKind } from '../protocol';

export const TOKEN_ENV = 'SCIM_AGENTS_TOKEN';
export const ENDPOINT_ENV = 'SCIM_AGENTS_ENDPOINT';
export const INSECURE_HTTP_ENV = 'SCIM_AGENTS_ALLOW_INSECURE_HTTP';
/** The user's machine-scoped endpoint setting, as the client sends it (protocol/initialize.ts). */
export type EndpointSettings = EndpointParams;

/** A refusal or bad argument: its message is shown to the user as it is. */
export class ProvisioningError extends Error {
  constructor(
    message: string,
    readonly kind: FailureKind = 'input',
  ) {
    super(message);
  }
}

/** The client's `{url?, allowInsecureHttp?}` payload, keeping only well-formed values. */
export function readEndpointSettings(raw: unknown): EndpointSettings {
  if (!raw || typeof raw !== 'object') return {};
  const { url, allowInsecureHttp } = raw as Record<string, unknown>;
  return { ...(typeof url === 'string' && url.trim() ? { url: url.trim() } : {}), ...(allowInsecureHttp === true ? { allowInsecureHttp: true } : {}) };
}

/**
 * The endpoint chosen outside the workspace: the client's machine setting, else the server's
 * environment. Holds no token.
 */
export class TrustedEndpoint {
  private fromClient: EndpointSettings = {};

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /** What the client sent as the user's machine setting (initialize, then each change). */
  setFromClient(raw: unknown): void {
    this.fromClient = readEndpointSettings(raw);
  }

  current(): EndpointSettings {
    const envUrl = this.env[ENDPOINT_ENV]?.trim();
    const url = this.fromClient.url ?? (envUrl || undefined);
    const insecure = this.fromClient.allowInsecureHttp === true || /^(1|true|yes)$/i.test(this.env[INSECURE_HTTP_ENV]?.trim() ?? '');
    return { ...(url ? { url } : {}), ...(insecure ? { allowInsecureHttp: true } : {}) };
  }
}

/** The checked base URL (no trailing slash), or a ProvisioningError saying what is wrong. */
export function resolveEndpoint(argument: unknown, settings: EndpointSettings): string {
  if (argument !== undefined && typeof argument !== 'string') throw new ProvisioningError('The "endpoint" argument must be a URL string.', 'settings');
  const raw = (argument as string | undefined)?.trim() || settings.url || DEFAULT_ENDPOINT;
  const checked = checkBaseUrl(raw, settings.allowInsecureHttp === true);
  if ('baseUrl' in checked) return checked.baseUrl;
  const problem = checked.problem;
  switch (problem.kind) {
    case 'not-a-url':
      throw new ProvisioningError(
        `The SCIM endpoint "${raw.length > 80 ? raw.slice(0, 80) + '…' : raw}" is not a URL (setting SCIMAgents.endpoint.url).`,
        'settings',
      );
    case 'credentials':
      throw new ProvisioningError(
        'The SCIM endpoint URL must not carry credentials; store the token with "SCIM Agents: Set Endpoint Token" or in the SCIM_AGENTS_TOKEN environment variable.',
        'settings',
      );
    case 'scheme':
      throw new ProvisioningError(`The SCIM endpoint must be an https:// URL, not ${problem.protocol}//.`, 'settings');
    case 'insecure-http':
      throw new ProvisioningError(
        `Refusing plain http:// to ${problem.host}: the token would travel unencrypted. Use https://, or set SCIMAgents.endpoint.allowInsecureHttp if you accept that.`,
        'settings',
      );
    case 'query':
      throw new ProvisioningError(
        'The SCIM endpoint URL must not have a query string (the part from "?"): SCIM requests add their own, so it would not be sent (setting SCIMAgents.endpoint.url).',
        'settings',
      );
  }
}

/** Bearer auth from the argument, else the environment; a clear refusal when there is neither. */
export function resolveAuth(argument: unknown, env: NodeJS.ProcessEnv = process.env): { auth: ScimAuth; token: string } {
  if (argument !== undefined && typeof argument !== 'string') throw new ProvisioningError('The "token" argument must be a string.');
  const token = (argument as string | undefined)?.trim() || env[TOKEN_ENV]?.trim();
  if (!token)
    throw new ProvisioningError(
      `No token for the SCIM endpoint: run "SCIM Agents: Set Endpoint Token" in VS Code, or start the language server with ${TOKEN_ENV} in its environment.`,
      'auth',
    );
  return { auth: { kind: 'bearer', token }, token };
}
