/**
 * Whether the governance views may ask the endpoint, and with which token: only in a trusted
 * workspace, and only with the local sandbox's own token (loopback endpoint) or a token the user
 * stored for the endpoint's origin (SecretStorage, shared with the provisioning commands). Otherwise the views show the workspace alone.
 */
import * as vscode from 'vscode';
import { configuredEndpoint, originOf, TokenStore } from '../provisioning/secrets';
import { sandboxToken } from '../sandbox/localSandbox';
import type { ServerArgument } from '../../../server/src/lsp/protocol';

export async function serverArgument(secrets: vscode.SecretStorage): Promise<ServerArgument | undefined> {
  if (!vscode.workspace.isTrusted) return undefined;
  const endpoint = configuredEndpoint();
  let origin: string;
  try {
    origin = originOf(endpoint);
  } catch {
    return undefined;
  }
  const token = sandboxToken(endpoint) ?? (await new TokenStore(secrets).get(origin));
  return token ? { endpoint, token } : undefined;
}
