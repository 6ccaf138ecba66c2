/**
 * The HTTP layer under ScimClient: headers, auth, timeout, retries and logging. It returns any
 * HTTP answer (the caller decides what is an error) and throws ScimError only when no usable
 * answer arrived.
 *
 * What is retried, and why:
 * - 429 and 503, for every method: the server declares it did not process the request. The wait
 *   is Retry-After (seconds or HTTP-date) when given, else capped exponential backoff with jitter.
 * - Network errors, timeouts, 502 and 504 only for idempotent requests: GET, PUT, DELETE, and
 *   PATCH when it is conditional (If-Match: a replay that already landed fails with 412 instead
 *   of applying twice) or consists only of `replace` operations. POST and other PATCHes are never
 *   replayed blindly: the error is marked `ambiguous` and createIdempotent decides by a lookup.
 * - 401 once, after dropping a cached OAuth token (it may have been revoked early).
 */
import { TokenSource } from './auth';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, readBodyCapped } from './body';
import { ScimError } from './errors';
import { redactHeaders, redactUrl, scrubSecrets } from './redact';
import { backoffDelay, isGatewayStatus, isThrottleStatus, parseRetryAfter, type RetryTuning } from './retry';

export const SCIM_MEDIA_TYPE = 'application/scim+json';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ScimLogEntry {
  level: 'debug' | 'info' | 'warn';
  event: 'request' | 'response' | 'retry' | 'failure';
  method: HttpMethod;
  /** Redacted URL. */
  url: string;
  attempt: number;
  status?: number;
  durationMs?: number;
  delayMs?: number;
  reason?: string;
  /** Request headers with Authorization masked. */
  headers?: Record<string, string>;
}

export type ScimLogger = (entry: ScimLogEntry) => void;

export interface TransportRequest {
  method: HttpMethod;
  url: string;
  body?: unknown;
  ifMatch?: string;
  /** Safe to replay after a network error or timeout (see the header comment). */
  idempotent: boolean;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface TransportDeps {
  tokens: TokenSource;
  fetchImpl: typeof fetch;
  timeoutMs: number;
  maxRetries: number;
  tuning: RetryTuning;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  logger?: ScimLogger;
  /** The largest response body read (default DEFAULT_MAX_BODY_BYTES); past it the request fails. */
  maxBodyBytes?: number;
}

type Attempt =
  { kind: 'response'; response: TransportResponse } | { kind: 'network' | 'timeout'; cause?: string } | { kind: 'too-large'; status: number; detail: string };

export class Transport {
  constructor(private readonly deps: TransportDeps) {}

  async send(request: TransportRequest): Promise<TransportResponse> {
    const { deps } = this;
    const safeUrl = redactUrl(request.url);
    let refreshedToken = false;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attemptOnce(request, safeUrl, attempt);
      const canRetry = attempt < deps.maxRetries;
      if (outcome.kind === 'too-large') {
        // Not retried: the same server would send the same body. A write's outcome is unknown
        // (its answer could not be read), so a create is looked up before any retry.
        throw this.failure(request, safeUrl, {
          kind: 'invalid-response',
          status: outcome.status,
          retryable: false,
          ambiguous: request.method !== 'GET',
          detail: outcome.detail,
        });
      }
      if (outcome.kind !== 'response') {
        if (request.idempotent && canRetry) {
          await this.wait(request, safeUrl, attempt, backoffDelay(attempt, deps.tuning, deps.random), outcome.kind);
          continue;
        }
        throw this.failure(request, safeUrl, {
          kind: outcome.kind,
          status: 0,
          retryable: request.idempotent,
          ambiguous: !request.idempotent,
          detail: outcome.kind === 'timeout' ? `no answer within ${deps.timeoutMs} ms` : `connection failed${outcome.cause ? ` (${outcome.cause})` : ''}`,
        });
      }
      const { response } = outcome;
      if (response.status === 401 && deps.tokens.refreshable && !refreshedToken) {
        refreshedToken = true;
        deps.tokens.invalidate();
        continue;
      }
      if (isThrottleStatus(response.status) && canRetry) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), deps.now());
        if (retryAfter !== undefined && retryAfter > deps.tuning.maxRetryAfterMs) return response;
        await this.wait(request, safeUrl, attempt, retryAfter ?? backoffDelay(attempt, deps.tuning, deps.random), `status ${response.status}`);
        continue;
      }
      if (isGatewayStatus(response.status) && request.idempotent && canRetry) {
        await this.wait(request, safeUrl, attempt, backoffDelay(attempt, deps.tuning, deps.random), `status ${response.status}`);
        continue;
      }
      return response;
    }
  }

  /** Secrets to scrub from any text that leaves the client. */
  scrub(text: string): string {
    return scrubSecrets(text, this.deps.tokens.secrets());
  }

  private async attemptOnce(request: TransportRequest, safeUrl: string, attempt: number): Promise<Attempt> {
    const { deps } = this;
    const headers: Record<string, string> = { Accept: SCIM_MEDIA_TYPE, 'Content-Type': SCIM_MEDIA_TYPE };
    if (request.ifMatch) headers['If-Match'] = request.ifMatch;
    headers.Authorization = await deps.tokens.authorizationHeader();
    deps.logger?.({ level: 'debug', event: 'request', method: request.method, url: safeUrl, attempt, headers: redactHeaders(headers) });
    const started = deps.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), deps.timeoutMs);
    try {
      const response = await deps.fetchImpl(request.url, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
        // A redirect could carry the token to another origin; SCIM servers have no need for one.
        redirect: 'manual',
      });
      let text: string;
      try {
        text = await readBodyCapped(response, deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      } catch (e) {
        if (!(e instanceof BodyTooLargeError)) throw e;
        controller.abort();
        deps.logger?.({
          level: 'warn',
          event: 'failure',
          method: request.method,
          url: safeUrl,
          attempt,
          status: response.status,
          reason: e.message,
          durationMs: deps.now() - started,
        });
        return { kind: 'too-large', status: response.status, detail: e.message };
      }
      deps.logger?.({
        level: 'debug',
        event: 'response',
        method: request.method,
        url: safeUrl,
        attempt,
        status: response.status,
        durationMs: deps.now() - started,
      });
      return { kind: 'response', response: { status: response.status, headers: response.headers, text } };
    } catch (error) {
      const kind = controller.signal.aborted ? 'timeout' : 'network';
      deps.logger?.({ level: 'warn', event: 'failure', method: request.method, url: safeUrl, attempt, reason: kind, durationMs: deps.now() - started });
      const cause = networkCause(error);
      return cause ? { kind, cause } : { kind };
    } finally {
      clearTimeout(timer);
    }
  }

  private async wait(request: TransportRequest, safeUrl: string, attempt: number, delayMs: number, reason: string): Promise<void> {
    this.deps.logger?.({ level: 'info', event: 'retry', method: request.method, url: safeUrl, attempt, delayMs, reason });
    await this.deps.sleep(delayMs);
  }

  private failure(request: TransportRequest, safeUrl: string, init: Omit<ConstructorParameters<typeof ScimError>[0], 'method' | 'url'>): ScimError {
    return new ScimError({ ...init, method: request.method, url: safeUrl });
  }
}

/**
 * The system error code of a failed fetch (ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT…), so that
 * callers can tell a stopped server from an untrusted certificate. Codes only: never a message
 * that could quote a URL or header.
 */
function networkCause(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = cause?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,64}$/.test(code) ? code : undefined;
}
