/**
 * ScimError: the one error type every client failure becomes, so callers (plan/apply, the
 * diagnostics mapper) can branch on status/scimType without parsing messages.
 */
import { asString, getMember, isObject, parseJsonLoosely } from './json';

/**
 * How the request failed: an HTTP error answer, no answer at all, an answer the client cannot
 * use, or a request the client refused to send (an id that cannot stand in a URL).
 */
export type ScimErrorKind = 'http' | 'network' | 'timeout' | 'invalid-response' | 'refused';

export interface ScimErrorInit {
  kind: ScimErrorKind;
  status: number;
  method: string;
  url: string;
  scimType?: string;
  detail?: string;
  retryable?: boolean;
  ambiguous?: boolean;
}

export class ScimError extends Error {
  readonly kind: ScimErrorKind;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  readonly status: number;
  readonly scimType: string | undefined;
  readonly detail: string | undefined;
  readonly method: string;
  /** The request URL with credentials and secret-looking query values redacted. */
  readonly url: string;
  /** Trying the same request later may succeed (429, 503, network trouble). */
  readonly retryable: boolean;
  /**
   * The request may have been applied even though it failed (timeout or lost connection on a
   * non-idempotent request, 502/504 from a gateway). A POST with this flag must be checked by a
   * lookup before it is sent again.
   */
  readonly ambiguous: boolean;

  constructor(init: ScimErrorInit) {
    const what = init.status ? `${init.status}${init.scimType ? ` ${init.scimType}` : ''}` : init.kind;
    super(
      init.kind === 'refused'
        ? `SCIM ${init.method} not sent: ${init.detail ?? 'refused'}`
        : `SCIM ${init.method} ${shortUrl(init.url)} failed: ${what}${init.detail ? `: ${init.detail}` : ''}`,
    );
    this.name = 'ScimError';
    this.kind = init.kind;
    this.status = init.status;
    this.scimType = init.scimType;
    this.detail = init.detail;
    this.method = init.method;
    this.url = init.url;
    this.retryable = init.retryable ?? false;
    this.ambiguous = init.ambiguous ?? false;
  }
}

export function isScimError(error: unknown): error is ScimError {
  return error instanceof ScimError;
}

const MAX_DETAIL = 500;
const MAX_URL = 120;

/**
 * A URL as messages show it: the query (a lookup filter can run to kilobytes) is shown only when
 * short, and the whole is capped, so an error line stays a line.
 */
export function shortUrl(url: string): string {
  const query = url.indexOf('?');
  const base = query < 0 ? url : url.slice(0, query);
  const shown = query < 0 || url.length <= MAX_URL ? url : `${base}?…`;
  return shown.length <= MAX_URL ? shown : `${shown.slice(0, MAX_URL - 1)}…`;
}

/**
 * Extracts scimType and detail from an error body that may be JSON per RFC 7644 §3.12, JSON
 * without `status` (jackson), with a numeric status, or not JSON at all (better-auth's empty
 * 404s). The HTTP status always wins over the body's `status`.
 */
export function parseErrorBody(text: string): { scimType?: string; detail?: string } {
  const body = parseJsonLoosely(text);
  if (isObject(body)) {
    const scimType = asString(getMember(body, 'scimType'));
    const rawDetail = getMember(body, 'detail') ?? getMember(body, 'message');
    const detail = typeof rawDetail === 'string' ? rawDetail : undefined;
    return { scimType: scimType || undefined, detail: detail ? truncate(detail) : undefined };
  }
  const plain = text.trim();
  return plain && !plain.startsWith('<') ? { detail: truncate(plain) } : {};
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}
