/**
 * HTTP plumbing over node:http: bounded body reading, content-type checks, JSON responses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ScimError, errorBody, invalidSyntax } from './errors';

export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Reads the body, failing with 413 as soon as it exceeds `limit` bytes. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new ScimError(413, undefined, `Request body exceeds ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        reject(new ScimError(413, undefined, `Request body exceeds ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (e) => {
      if (!done) reject(e);
    });
  });
}

/** A %-decoded path segment; a malformed escape (`%zz`, a lone `%E2`) is the client's error, 400. */
export function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalidSyntax(`The path segment '${segment.slice(0, 200)}' has a malformed %-escape`);
  }
}

/** Accepts application/scim+json and application/json (RFC 7644 §3.8); anything else is 415. */
export function checkJsonContentType(req: IncomingMessage): void {
  const ct = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (ct !== 'application/scim+json' && ct !== 'application/json') {
    throw new ScimError(415, undefined, `Content-Type must be application/scim+json or application/json, not '${ct || 'none'}'`);
  }
}

export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (!text.trim()) throw invalidSyntax('The request body is empty');
  try {
    return JSON.parse(text);
  } catch {
    throw invalidSyntax('The request body is not valid JSON');
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': SCIM_CONTENT_TYPE, 'Content-Length': String(data.length), ...headers });
  res.end(data);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

export function sendError(res: ServerResponse, err: ScimError): void {
  const headers = { ...err.headers };
  if (err.status === 401) headers['WWW-Authenticate'] = 'Bearer realm="scim-agents sandbox"';
  sendJson(res, err.status, errorBody(err), headers);
}
