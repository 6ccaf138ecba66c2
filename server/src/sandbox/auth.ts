/**
 * Bearer-token authentication. The token is generated once per data directory and kept in a
 * 0600 file there, so restarting the sandbox does not invalidate clients' stored tokens.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export const TOKEN_FILE = 'token';

export interface TokenSource {
  token: string;
  /** Where the token is kept; undefined when the caller supplied it. */
  file: string | undefined;
  /** True only when this call generated and wrote the token. */
  created: boolean;
}

export async function loadOrCreateToken(dataDir: string, given: string | undefined): Promise<TokenSource> {
  if (given !== undefined) {
    if (!isUsableToken(given)) throw new Error('The sandbox token must be 16 to 512 printable characters without spaces.');
    return { token: given, file: undefined, created: false };
  }
  const file = path.join(dataDir, TOKEN_FILE);
  try {
    const stored = (await fs.readFile(file, 'utf8')).trim();
    if (!isUsableToken(stored)) throw new Error(`The token file ${file} is empty or malformed; delete it to generate a new token.`);
    return { token: stored, file, created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(32).toString('base64url');
  // 'wx' so two sandboxes starting on one directory cannot overwrite each other's token.
  const handle = await fs.open(file, 'wx', 0o600);
  try {
    await handle.writeFile(token + '\n', 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { token, file, created: true };
}

function isUsableToken(t: string): boolean {
  return /^[\x21-\x7e]{16,512}$/.test(t);
}

/**
 * Constant-time check of an Authorization header. Both sides are hashed first so the
 * comparison does not reveal the token's length either.
 */
export function isAuthorized(header: string | undefined, token: string): boolean {
  if (!header) return false;
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const presented = m ? m[1] : '';
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && m !== null;
}
