/**
 * Redaction for everything the client logs or puts into an error: tokens and secrets never leave
 * the process through a log line or a message.
 */

export const REDACTED = '[redacted]';

const SECRET_QUERY_NAME = /token|secret|password|passwd|key|code|sig|auth|credential/i;

/** A URL safe to show: no user-info, and secret-looking query values replaced. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/\?.*$/, '');
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_QUERY_NAME.test(name)) url.searchParams.set(name, REDACTED);
  }
  return url.toString();
}

/** Request headers for a log entry, Authorization (and anything cookie- or key-like) masked. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = /authorization|cookie|api-key|token/i.test(name) ? REDACTED : value;
  }
  return out;
}

/** Replaces every occurrence of the given secrets in a text (a server may echo a token back). */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
