/**
 * A failed request to the SCIM endpoint, said in the user's words: which endpoint, what went
 * wrong, and what fixes it; with a kind the client turns into the action that fixes it (Start
 * Local Sandbox, Set Endpoint Token, Open Settings). Messages stay short so that no editor cuts
 * them off, and never carry the request URL's query, a header or a token.
 */
import { isScimError, type ScimError } from '../../scim';
import type { FailureKind } from '../protocol';
import { ProvisioningError } from './endpoint';

const TLS_CODES = /CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS/;
const MAX_DETAIL = 160;

/** The ProvisioningError for any failure of a request to `host` (default: the request's); others (bugs) stay as they are. */
export function describeFailure(error: unknown, host?: string): unknown {
  if (error instanceof ProvisioningError || !isScimError(error)) return error;
  const { message, kind } = words(error, host ?? hostOf(error.url));
  return new ProvisioningError(message, kind);
}

function words(e: ScimError, host: string): { message: string; kind: FailureKind } {
  const detail = e.detail ? shorten(e.detail) : '';
  if (e.kind === 'network') {
    if (TLS_CODES.test(detail)) {
      return {
        kind: 'tls',
        message: `The TLS certificate of ${host} is not trusted (${causeOf(detail)}). Trust its CA with NODE_EXTRA_CA_CERTS, or check SCIMAgents.endpoint.url.`,
      };
    }
    const refused = /ECONNREFUSED/.test(detail)
      ? 'connection refused'
      : /ENOTFOUND|EAI_AGAIN/.test(detail)
        ? 'host not found'
        : causeOf(detail) || 'no connection';
    return { kind: 'unreachable', message: `The SCIM endpoint ${host} does not answer (${refused}). Start it, or check SCIMAgents.endpoint.url.` };
  }
  if (e.kind === 'timeout') return { kind: 'unreachable', message: `The SCIM endpoint ${host} did not answer in time (${detail || 'timeout'}).` };
  if (e.status === 401 || e.status === 403) {
    return {
      kind: 'auth',
      message: `The SCIM endpoint ${host} refused the token (${e.status} ${e.status === 401 ? 'Unauthorized' : 'Forbidden'}). Set the right one with "Set Endpoint Token".`,
    };
  }
  if (e.kind === 'invalid-response')
    return {
      kind: 'server',
      message: `The SCIM endpoint ${host} answered something that is not SCIM${detail ? ` (${detail})` : ''}: check SCIMAgents.endpoint.url.`,
    };
  return { kind: 'server', message: `The SCIM endpoint ${host} failed with ${e.status}${e.scimType ? ` ${e.scimType}` : ''}${detail ? `: ${detail}` : ''}.` };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the endpoint';
  }
}

/** `connection failed (ECONNREFUSED)` → `ECONNREFUSED`. */
function causeOf(detail: string): string {
  return /\(([A-Z0-9_]+)\)/.exec(detail)?.[1] ?? '';
}

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > MAX_DETAIL ? `${one.slice(0, MAX_DETAIL)}…` : one;
}
