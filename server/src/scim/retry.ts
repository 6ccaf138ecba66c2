/**
 * Retry policy: which failures are worth a second attempt and how long to wait. Kept pure (clock
 * and randomness passed in) so the tests check the arithmetic without waiting.
 */

export interface RetryTuning {
  /** First backoff step in ms; the n-th retry waits up to base * 2^n. */
  baseDelayMs: number;
  /** Upper bound of one backoff wait. */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error is returned (retryable) instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_TUNING: RetryTuning = { baseDelayMs: 250, maxDelayMs: 10_000, maxRetryAfterMs: 120_000 };

/**
 * Retry-After (RFC 9110 §10.2.3) in ms: delta-seconds or an HTTP-date. A date in the past means
 * "now" (0). Anything unparsable is undefined, so the caller falls back to backoff.
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!/[a-z]/i.test(value)) return undefined; // "-1", "1.5": neither form
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/** Capped exponential backoff with full jitter; `attempt` is 0 for the first retry. */
export function backoffDelay(attempt: number, tuning: RetryTuning, random: () => number): number {
  const ceiling = Math.min(tuning.maxDelayMs, tuning.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** Statuses where the server says "not now" without having applied the request. */
export function isThrottleStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** Gateway statuses: the origin may or may not have seen the request. */
export function isGatewayStatus(status: number): boolean {
  return status === 502 || status === 504;
}
