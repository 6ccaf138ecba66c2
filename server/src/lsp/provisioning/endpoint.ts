/**
 * Where the provisioning commands send requests, and with which token. The endpoint comes from
 * the command's argument or the `scimAgents.endpoint.url` setting (empty: the local sandbox's
 * default address); the token from the argument `token` (the VS Code client reads it from
 * SecretStorage) or the server's environment (other editors). Plain http:// only to loopback
 * unless `scimAgents.endpoint.allowInsecureHttp`. Nothing here ever puts the token in a message.
 */
import { isLoopbackHost } from '../../util/loopback';
import type { ScimAuth } from '../../scim';

/** Where `scim-agents serve` listens by default. */
export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8787/scim/v2';
export const TOKEN_ENV = 'SCIM_AGENTS_TOKEN';

export interface EndpointSettings {
  url?: string;
  allowInsecureHttp?: boolean;
}

/** A refusal or bad argument: its message is shown to the user as it is. */
export class ProvisioningError extends Error {}

/** The endpoint part of the `scimAgents` section, nested (`endpoint.url`) or flat (`"endpoint.url"`). */
export function readEndpointSettings(raw: unknown): EndpointSettings {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const nested = r.endpoint && typeof r.endpoint === 'object' ? (r.endpoint as Record<string, unknown>) : {};
  const url = nested.url ?? r['endpoint.url'];
  const insecure = nested.allowInsecureHttp ?? r['endpoint.allowInsecureHttp'];
  return { ...(typeof url === 'string' && url.trim() ? { url: url.trim() } : {}), ...(insecure === true ? { allowInsecureHttp: true } : {}) };
}

/** The checked base URL (no trailing slash), or a ProvisioningError saying what is wrong. */
export function resolveEndpoint(argument: unknown, settings: EndpointSettings): string {
  if (argument !== undefined && typeof argument !== 'string') throw new ProvisioningError('The "endpoint" argument must be a URL string.');
  const raw = (argument as string | undefined)?.trim() || settings.url || DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProvisioningError(`The SCIM endpoint "${raw.length > 80 ? raw.slice(0, 80) + '…' : raw}" is not a URL (setting scimAgents.endpoint.url).`);
  }
  if (url.username || url.password) throw new ProvisioningError('The SCIM endpoint URL must not carry credentials; store the token with "SCIM Agents: Set Endpoint Token" or in the SCIM_AGENTS_TOKEN environment variable.');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ProvisioningError(`The SCIM endpoint must be an https:// URL, not ${url.protocol}//.`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && settings.allowInsecureHttp !== true) {
    throw new ProvisioningError(`Refusing plain http:// to ${url.host}: the token would travel unencrypted. Use https://, or set scimAgents.endpoint.allowInsecureHttp if you accept that.`);
  }
  url.hash = '';
  url.search = '';
  return url.toString().replace(/\/+$/, '');
}

/** Bearer auth from the argument, else the environment; a clear refusal when there is neither. */
export function resolveAuth(argument: unknown, env: NodeJS.ProcessEnv = process.env): { auth: ScimAuth; token: string } {
  if (argument !== undefined && typeof argument !== 'string') throw new ProvisioningError('The "token" argument must be a string.');
  const token = (argument as string | undefined)?.trim() || env[TOKEN_ENV]?.trim();
  if (!token) throw new ProvisioningError(`No token for the SCIM endpoint: run "SCIM Agents: Set Endpoint Token" in VS Code, or start the language server with ${TOKEN_ENV} in its environment.`);
  return { auth: { kind: 'bearer', token }, token };
}
