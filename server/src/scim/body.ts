/**
 * Reading a response body with a cap. A server (or anything in between) may send an endless
 * body; reading it whole grew the CLI to gigabytes before the timeout. The body is streamed and
 * the read stops, and the connection is dropped, as soon as it passes the cap.
 */

/** The default cap on a response body: far above any SCIM page the client asks for. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body over ${formatSize(limit)} (stopped reading)`);
  }
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${bytes} bytes`;
}

/** The body as UTF-8 text, or BodyTooLargeError once it passes `limit` bytes. */
export async function readBodyCapped(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new BodyTooLargeError(limit);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
