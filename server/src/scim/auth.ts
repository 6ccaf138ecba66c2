/**
 * Credentials for the SCIM endpoint: a static bearer token, or OAuth 2.0 client credentials
 * (RFC 6749 §4.4) with the access token cached until shortly before it expires.
 */
import { BodyTooLargeError, readBodyCapped } from './body';
import { ScimError } from './errors';
import { asInteger, asString, getMember, isObject, parseJsonLoosely } from './json';
import { redactUrl } from './redact';

export type ScimAuth =
  { kind: 'bearer'; token: string } | { kind: 'oauth2-client-credentials'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string };

/** Refresh this long before the server-declared expiry, so a token never dies in flight. */
const EXPIRY_SKEW_MS = 30_000;
/** A token response is a small JSON object; anything larger is not read whole. */
const MAX_TOKEN_BODY_BYTES = 1024 * 1024;
/** When the token endpoint gives no expires_in, reuse the token for this long. */
const DEFAULT_LIFETIME_MS = 5 * 60_000;

export interface TokenSourceDeps {
  fetchImpl: typeof fetch;
  now: () => number;
  timeoutMs: number;
}

export class TokenSource {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly auth: ScimAuth,
    private readonly deps: TokenSourceDeps,
  ) {}

  /** Whether a 401 may be cured by fetching a new token. */
  get refreshable(): boolean {
    return this.auth.kind === 'oauth2-client-credentials';
  }

  /** Every secret this source knows, for scrubbing logs and error texts. */
  secrets(): string[] {
    const list = this.auth.kind === 'bearer' ? [this.auth.token] : [this.auth.clientSecret];
    if (this.cached) list.push(this.cached.token);
    return list;
  }

  async authorizationHeader(): Promise<string> {
    return `Bearer ${await this.token()}`;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async token(): Promise<string> {
    if (this.auth.kind === 'bearer') return this.auth.token;
    if (this.cached && this.deps.now() < this.cached.expiresAt) return this.cached.token;
    // Concurrent requests share one token fetch.
    this.pending ??= this.fetchToken(this.auth).finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async fetchToken(auth: Extract<ScimAuth, { kind: 'oauth2-client-credentials' }>): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    // client_secret_basic: RFC 6749 §2.3.1 form-encodes id and secret before base64.
    const basic = Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64');
    const fail = (kind: 'http' | 'network' | 'timeout' | 'invalid-response', status: number, detail: string) =>
      new ScimError({ kind, status, method: 'POST', url: redactUrl(auth.tokenUrl), detail, retryable: kind !== 'http' || status >= 500 });
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.deps.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await this.deps.fetchImpl(auth.tokenUrl, {
        method: 'POST',
        headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body: form.toString(),
        signal: controller.signal,
        // As for SCIM requests: a redirect could carry the client secret to another origin.
        redirect: 'manual',
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => {});
        // The status only: the Location may itself carry secrets (a code, a signed query).
        throw fail(
          'http',
          response.status,
          `the token endpoint answered with a redirect (${response.status}); redirects are not followed, configure the final token URL`,
        );
      }
      text = await readBodyCapped(response, MAX_TOKEN_BODY_BYTES);
    } catch (e) {
      if (e instanceof ScimError) throw e;
      if (e instanceof BodyTooLargeError) throw fail('invalid-response', response!.status, `token ${e.message}`);
      throw fail(controller.signal.aborted ? 'timeout' : 'network', 0, 'token endpoint unreachable');
    } finally {
      clearTimeout(timer);
    }
    const body = parseJsonLoosely(text);
    if (!response.ok) {
      // RFC 6749 §5.2: error codes are safe to show; the body itself is not echoed.
      const code = isObject(body) ? asString(getMember(body, 'error')) : undefined;
      throw fail('http', response.status, `token request rejected${code ? ` (${code})` : ''}`);
    }
    const token = isObject(body) ? asString(getMember(body, 'access_token')) : undefined;
    if (!token) throw fail('invalid-response', response.status, 'token response has no access_token');
    const expiresIn = isObject(body) ? asInteger(getMember(body, 'expires_in')) : undefined;
    const lifetime = expiresIn !== undefined ? Math.max(0, expiresIn * 1000 - EXPIRY_SKEW_MS) : DEFAULT_LIFETIME_MS;
    this.cached = { token, expiresAt: this.deps.now() + lifetime };
    return token;
  }
}
