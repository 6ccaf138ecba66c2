/**
 * One line per request: method, path, status, duration. Never the Authorization header, and
 * query parameters whose names suggest a secret are masked, so a client that wrongly puts a
 * token in the URL does not get it written to a terminal or a CI log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const SECRET_PARAM = /token|secret|password|passwd|key|auth|credential|assertion/i;

export function logRequests(req: IncomingMessage, res: ServerResponse, log: (line: string) => void): void {
  const started = process.hrtime.bigint();
  const target = redactedTarget(req.url ?? '/');
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log(`${req.method ?? '?'} ${target} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
}

export function redactedTarget(raw: string): string {
  const q = raw.indexOf('?');
  if (q === -1) return raw;
  const params = new URLSearchParams(raw.slice(q + 1));
  for (const name of [...params.keys()]) if (SECRET_PARAM.test(name)) params.set(name, '[redacted]');
  return `${raw.slice(0, q)}?${params.toString()}`;
}
