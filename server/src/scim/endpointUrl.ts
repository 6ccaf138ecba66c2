/**
 * The one policy for a URL a token is sent to, shared by the CLI (`--endpoint`, `--token-url`)
 * and the language server (a command's argument, the machine setting, the environment): a URL,
 * no credentials in it, https:// (plain http:// only to loopback, or when the user allowed it).
 * Each adapter words a refusal for its users (a flag, a setting). No Node built-ins: the
 * browser language server and the VS Code client bundle it too.
 */
import { isLoopbackHost } from '../util/loopback';

/** Where `scim-agents serve` and the VS Code client's local sandbox listen by default. */
export const DEFAULT_SANDBOX_PORT = 8787;
/** The endpoint assumed when none is set (the language server, the VS Code client): the local sandbox. */
export const DEFAULT_ENDPOINT = `http://127.0.0.1:${DEFAULT_SANDBOX_PORT}/scim/v2`;

export type EndpointUrlProblem =
  { kind: 'not-a-url' } | { kind: 'credentials' } | { kind: 'scheme'; protocol: string } | { kind: 'insecure-http'; host: string } | { kind: 'query' };

/** The URL (its fragment dropped) when the policy allows it, else what is wrong. */
export function checkEndpointUrl(raw: string, allowInsecureHttp: boolean): { url: URL } | { problem: EndpointUrlProblem } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: { kind: 'not-a-url' } };
  }
  if (url.username || url.password) return { problem: { kind: 'credentials' } };
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: { kind: 'scheme', protocol: url.protocol } };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowInsecureHttp) return { problem: { kind: 'insecure-http', host: url.host } };
  url.hash = '';
  return { url };
}

/**
 * A SCIM base URL as requests are built on it (no trailing slash), when the policy allows it.
 * A query string is refused, not dropped: requests build their own queries on the base, so a
 * `?tenant=…` the user wrote would silently not be sent, and the writes go where it did not say.
 */
export function checkBaseUrl(raw: string, allowInsecureHttp: boolean): { baseUrl: string } | { problem: EndpointUrlProblem } {
  const checked = checkEndpointUrl(raw, allowInsecureHttp);
  if (!('url' in checked)) return checked;
  if (checked.url.search !== '') return { problem: { kind: 'query' } };
  checked.url.search = ''; // a bare "?", which URL keeps when printed
  return { baseUrl: withoutTrailingSlash(checked.url) };
}

export function withoutTrailingSlash(url: URL): string {
  return url.toString().replace(/\/+$/, '');
}
