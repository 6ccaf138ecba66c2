/**
 * The endpoint and credentials of the provisioning commands. The token comes only from the
 * environment (SCIM_AGENTS_TOKEN, or the variable --token-env names), never from a flag: flags
 * end up in shell history and process lists. OAuth client credentials come from
 * SCIM_AGENTS_CLIENT_ID / SCIM_AGENTS_CLIENT_SECRET with --token-url. Plain http:// is refused
 * except to loopback, unless --allow-insecure-http.
 */
import { checkBaseUrl, checkEndpointUrl, withoutTrailingSlash } from '../scim/endpointUrl';
import type { ScimAuth, ScimClientOptions } from '../scim';
import { UsageError } from './files';
import type { CliIO } from './io';

export const DEFAULT_TOKEN_ENV = 'SCIM_AGENTS_TOKEN';
export const CLIENT_ID_ENV = 'SCIM_AGENTS_CLIENT_ID';
export const CLIENT_SECRET_ENV = 'SCIM_AGENTS_CLIENT_SECRET';

/** parseArgs options every provisioning command accepts. */
export const ENDPOINT_OPTIONS = {
  endpoint: { type: 'string' },
  'token-env': { type: 'string' },
  'token-url': { type: 'string' },
  scope: { type: 'string' },
  'allow-insecure-http': { type: 'boolean', default: false },
  timeout: { type: 'string' },
} as const;

/** Options of every command that reads manifests and may talk to an endpoint. */
export const MANIFEST_COMMAND_OPTIONS = {
  ...ENDPOINT_OPTIONS,
  format: { type: 'string', default: 'text' },
  profile: { type: 'string', default: 'auto' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const ENDPOINT_HELP = `Endpoint and credentials:
  --endpoint URL            SCIM base URL, e.g. https://idp.example.com/scim/v2 (required)
  --token-env NAME          environment variable holding the bearer token (default: ${DEFAULT_TOKEN_ENV})
  --token-url URL           OAuth 2.0 token endpoint: use client credentials from
                            ${CLIENT_ID_ENV} and ${CLIENT_SECRET_ENV} instead of a token
  --scope SCOPE             OAuth scope to request (with --token-url)
  --allow-insecure-http     allow http:// to a host other than loopback (the token travels in clear)
  --timeout SECONDS         per-request timeout (default: 30)
Tokens are never accepted as flags.`;

export interface EndpointValues {
  endpoint?: string;
  'token-env'?: string;
  'token-url'?: string;
  scope?: string;
  'allow-insecure-http'?: boolean;
  timeout?: string;
}

/** Refuses `--token`/`--password`-style flags before parseArgs could echo their value. */
export function rejectSecretFlags(argv: readonly string[]): void {
  for (const arg of argv) {
    if (/^--(token|bearer|password|client-secret|secret)(=|$)/i.test(arg)) {
      throw new UsageError(
        `Secrets are never taken as flags; put the token in the ${DEFAULT_TOKEN_ENV} environment variable (or name another with --token-env).`,
      );
    }
  }
}

/** Client options for the endpoint the flags and environment describe; throws UsageError. */
export function endpointOptions(values: EndpointValues, io: CliIO): Pick<ScimClientOptions, 'baseUrl' | 'auth' | 'timeoutMs'> {
  if (!values.endpoint) throw new UsageError('--endpoint URL is required.');
  const baseUrl = checkedUrl(values.endpoint, '--endpoint', values['allow-insecure-http'] === true, 'base');
  let auth: ScimAuth;
  if (values['token-url']) {
    const tokenUrl = checkedUrl(values['token-url'], '--token-url', values['allow-insecure-http'] === true, 'url');
    const clientId = io.env[CLIENT_ID_ENV];
    const clientSecret = io.env[CLIENT_SECRET_ENV];
    if (!clientId || !clientSecret) throw new UsageError(`--token-url needs ${CLIENT_ID_ENV} and ${CLIENT_SECRET_ENV} in the environment.`);
    auth = { kind: 'oauth2-client-credentials', tokenUrl, clientId, clientSecret, ...(values.scope ? { scope: values.scope } : {}) };
  } else {
    const name = values['token-env'] ?? DEFAULT_TOKEN_ENV;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UsageError(`--token-env takes an environment variable name, not "${name.length > 40 ? 'a long value' : name}".`);
    const token = io.env[name]?.trim();
    if (!token) throw new UsageError(`No token: set the ${name} environment variable (or use --token-url for OAuth client credentials).`);
    auth = { kind: 'bearer', token };
  }
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const seconds = Number(values.timeout);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError('--timeout takes a number of seconds greater than 0.');
    timeoutMs = seconds * 1000;
  }
  return { baseUrl, auth, ...(timeoutMs ? { timeoutMs } : {}) };
}

function checkedUrl(raw: string, flag: string, allowInsecure: boolean, as: 'base' | 'url'): string {
  const checked = as === 'base' ? checkBaseUrl(raw, allowInsecure) : checkEndpointUrl(raw, allowInsecure);
  if ('baseUrl' in checked) return checked.baseUrl;
  if ('url' in checked) return withoutTrailingSlash(checked.url);
  const problem = checked.problem;
  switch (problem.kind) {
    case 'not-a-url':
      throw new UsageError(`${flag} is not a URL.`);
    case 'credentials':
      throw new UsageError(`${flag} must not carry credentials; use the environment.`);
    case 'scheme':
      throw new UsageError(`${flag} must be an https:// URL.`);
    case 'insecure-http':
      throw new UsageError(
        `${flag} uses plain http:// to ${problem.host}; use https://, or pass --allow-insecure-http if you accept sending the credentials in clear.`,
      );
    case 'query':
      throw new UsageError(`${flag} must not have a query string (the part from "?"): SCIM requests add their own, so it would not be sent.`);
  }
}
