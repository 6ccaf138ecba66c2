/**
 * `scimAgents.verifyToken` {endpoint?, token}: one authenticated GET, so that an editor stores a
 * token only once the endpoint accepted it. /Users is asked (every SCIM server has it, and it
 * needs authorization, where /ServiceProviderConfig often does not); a server without /Users is
 * asked for /ServiceProviderConfig instead. Answers {ok: true, endpointHost} or fails with the
 * user's-words error of failure.ts (a refused token: kind "auth").
 */
import { isScimError, ScimClient } from '../../scim';
import { scrubSecrets } from '../../scim/redact';
import type { CommandContext } from '../commands';
import { SERVER_COMMANDS, type VerifyTokenResult } from '../protocol';
import { ProvisioningError, resolveAuth, resolveEndpoint, type EndpointSettings } from './endpoint';
import { describeFailure } from './failure';

export async function verifyTokenCommand(raw: unknown[], ctx: CommandContext, endpointSettings: () => Promise<EndpointSettings>): Promise<VerifyTokenResult> {
  if (!ctx.workspaceTrusted) throw new ProvisioningError('This workspace is not trusted: SCIM Agents never calls an endpoint from it.', 'untrusted');
  const args = (raw[0] && typeof raw[0] === 'object' ? raw[0] : {}) as { endpoint?: unknown; token?: unknown };
  if (typeof args.token !== 'string' || !args.token.trim()) throw new ProvisioningError(`${SERVER_COMMANDS.verifyToken} needs the "token" to check.`);
  const baseUrl = resolveEndpoint(args.endpoint, await endpointSettings());
  const { auth, token } = resolveAuth(args.token);
  const host = new URL(baseUrl).host;
  const client = new ScimClient({ baseUrl, auth, maxRetries: 1, timeoutMs: 15_000 });
  try {
    try {
      await client.request('GET', '/Users', { query: { startIndex: 1, count: 1, attributes: 'id' } });
    } catch (e) {
      if (!isScimError(e) || e.status !== 404) throw e;
      await client.request('GET', '/ServiceProviderConfig');
    }
    return { ok: true, endpointHost: host };
  } catch (e) {
    const described = describeFailure(e, host);
    throw new ProvisioningError(scrubSecrets((described as Error).message, [token]), described instanceof ProvisioningError ? described.kind : 'server');
  }
}
