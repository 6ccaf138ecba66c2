/**
 * Local JWT decoding for token correlation. The token is read and forgotten: never verified
 * online, never sent, never logged or stored. Only the claims correlation needs are kept; the
 * signature is never looked at, so nothing here says the token is genuine.
 */
import { trimEndChar } from '../util/strings';

export interface DecodedToken {
  /** Header facts worth showing (never the signature). */
  alg?: string;
  kid?: string;
  sub: string;
  iss?: string;
  aud?: string[];
  /** Expiry (ISO 8601), when the token has `exp`. */
  expires?: string;
  /** Delegation (RFC 8693 `act`): the acting party's sub and iss, when present. */
  act?: { sub?: string; iss?: string };
}

export class TokenError extends Error {
  constructor(
    message: string,
    readonly part?: 'header' | 'payload' | 'token',
  ) {
    super(message);
  }
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes a compact JWS (header.payload.signature); throws TokenError with what is wrong and where. */
export function decodeJwt(raw: string): DecodedToken {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  if (token === '') throw new TokenError('No token: the input is empty.', 'token');
  const parts = token.split('.');
  if (parts.length === 5) throw new TokenError('This is an encrypted JWT (JWE, 5 parts): its claims cannot be read without the key.', 'token');
  if (parts.length !== 3)
    throw new TokenError(`Not a JWT: a signed JWT has 3 dot-separated parts (header.payload.signature); this has ${parts.length}.`, 'token');
  const header = decodePart(parts[0]!, 'header');
  const payload = decodePart(parts[1]!, 'payload');
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub === '')
    throw new TokenError('The payload has no "sub" claim (a non-empty string): there is no subject to correlate.', 'payload');
  const iss = payload.iss;
  if (iss !== undefined && typeof iss !== 'string') throw new TokenError('The "iss" claim is not a string.', 'payload');
  const aud =
    typeof payload.aud === 'string' ? [payload.aud] : Array.isArray(payload.aud) ? payload.aud.filter((a): a is string => typeof a === 'string') : undefined;
  const act = payload.act && typeof payload.act === 'object' ? (payload.act as Record<string, unknown>) : undefined;
  return {
    ...(typeof header.alg === 'string' ? { alg: header.alg } : {}),
    ...(typeof header.kid === 'string' ? { kid: header.kid } : {}),
    sub,
    ...(typeof iss === 'string' ? { iss } : {}),
    ...(aud ? { aud } : {}),
    ...(typeof payload.exp === 'number' && Number.isFinite(payload.exp) ? { expires: new Date(payload.exp * 1000).toISOString() } : {}),
    ...(act ? { act: { ...(typeof act.sub === 'string' ? { sub: act.sub } : {}), ...(typeof act.iss === 'string' ? { iss: act.iss } : {}) } } : {}),
  };
}

function decodePart(part: string, name: 'header' | 'payload'): Record<string, unknown> {
  const where = name === 'header' ? 'part 1 (header)' : 'part 2 (payload)';
  if (part === '') throw new TokenError(`The ${where} is empty.`, name);
  // base64url without padding (RFC 7515 §2); a trailing '=' is tolerated, other characters are not.
  const unpadded = trimEndChar(part, '=');
  if (!BASE64URL.test(unpadded) || unpadded.length % 4 === 1) throw new TokenError(`The ${where} is not base64url.`, name);
  const text = Buffer.from(unpadded, 'base64url').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TokenError(`The ${where} is not JSON once base64url-decoded.`, name);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TokenError(`The ${where} is not a JSON object.`, name);
  return value as Record<string, unknown>;
}
