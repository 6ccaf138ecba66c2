/**
 * Endpoint tokens in VS Code's SecretStorage, one per endpoint origin (scheme, host, port), so a
 * token is only ever sent to the server it was given for. Never in settings, files or logs.
 */
import * as vscode from 'vscode';
import type { EndpointParams } from '../../../server/src/lsp/protocol';
import { DEFAULT_ENDPOINT } from '../../../server/src/scim/endpointUrl';
import { SETTINGS_SECTION } from '../../../server/src/lsp/protocol';

/**
 * The machine-scoped endpoint settings as VS Code resolves them: it ignores workspace and folder
 * values of a machine-scoped setting, so a cloned repository cannot name the endpoint.
 */
export function endpointSettings(): EndpointParams {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const url = config.get<string>('endpoint.url', '').trim();
  return { ...(url ? { url } : {}), ...(config.get<boolean>('endpoint.allowInsecureHttp', false) === true ? { allowInsecureHttp: true } : {}) };
}

/** The configured endpoint (machine-scoped setting), or the sandbox's default address. */
export function configuredEndpoint(): string {
  return endpointSettings().url ?? DEFAULT_ENDPOINT;
}

/** `https://idp.example.com:8443`; throws a readable error for a malformed URL. */
export function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    throw new Error(`The SCIM endpoint "${endpoint}" is not a URL: fix the SCIMAgents.endpoint.url setting.`);
  }
}

export class TokenStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private key(origin: string): string {
    return `scimAgents.token:${origin}`;
  }

  get(origin: string): Thenable<string | undefined> {
    return this.secrets.get(this.key(origin));
  }

  store(origin: string, token: string): Thenable<void> {
    return this.secrets.store(this.key(origin), token);
  }

  delete(origin: string): Thenable<void> {
    return this.secrets.delete(this.key(origin));
  }
}

/** Replaces every secret in a text before it reaches the output channel or a message. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
