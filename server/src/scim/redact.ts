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

/**
 * Replaces every occurrence of the given secrets in a text (a server may echo a token back),
 * also when the server disguised it with trivial transforms: invisible format characters
 * (zero-width space, joiner, soft hyphen, BOM…) inserted into it, JSON `\uXXXX` escapes of its
 * characters, and its base64, base64url and percent-encoded forms (base64 at any alignment
 * inside a longer base64 run). What is not caught is listed in SECURITY.md.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const usable = secrets.filter((x) => x.length >= 4);
  if (!usable.length) return text;
  let out = normalizeForScrubbing(text);
  let found = false;
  for (const secret of usable) {
    for (const form of encodedForms(secret)) {
      if (!out.includes(form)) continue;
      found = true;
      out = out.split(form).join(REDACTED);
    }
  }
  // A text without a secret is returned as it was: scrubbing also runs over whole rendered
  // outputs (plans, imported files), whose escapes must survive it.
  return found ? out : text;
}

/** Unicode format characters (Cf): invisible, so they can split a token unseen. */
const FORMAT_CHAR = /\p{Cf}/gu;
/** An escaped backslash (kept as is), or a JSON \uXXXX escape. */
const JSON_ESCAPE = /\\\\|\\u([0-9a-fA-F]{4})/g;

function normalizeForScrubbing(text: string): string {
  // Inline the \uXXXX escapes that may stand literally in a JSON string (so the text still
  // parses), drop the escaped format characters, and keep the others (quote, backslash,
  // control characters, surrogate halves).
  const inlined = text.replace(JSON_ESCAPE, (m, hex: string | undefined) => {
    if (hex === undefined) return m;
    const code = parseInt(hex, 16);
    const c = String.fromCharCode(code);
    if (/\p{Cf}/u.test(c)) return '';
    // Also kept escaped: what printing would escape again (DEL, C1, line separators).
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || c === '"' || c === '\\' || (code >= 0xd800 && code <= 0xdfff))
      return m;
    return c;
  });
  return inlined.replace(FORMAT_CHAR, '');
}

/** The secret and the encodings of it a server could echo without effort, longest first. */
function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret)]);
  const bytes = Buffer.from(secret, 'utf8');
  for (let shift = 0; shift < 3; shift++) {
    // Inside a longer base64 run the secret starts at any of three byte alignments: encode it
    // after `shift` filler bytes and keep only the characters that do not depend on the filler
    // or on what follows.
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const lead = shift === 0 ? 0 : Math.ceil((shift * 4) / 3);
    const whole = Math.floor((padded.length * 4) / 3);
    for (const enc of ['base64', 'base64url'] as const) {
      const core = padded.toString(enc).slice(lead, whole);
      if (core.length >= 8) forms.add(core);
      if (shift === 0) forms.add(bytes.toString(enc));
    }
  }
  return [...forms].sort((x, y) => y.length - x.length);
}
