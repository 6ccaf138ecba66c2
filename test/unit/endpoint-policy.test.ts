// The endpoint URL policy is one (server/src/scim/endpointUrl.ts): the CLI's --endpoint and the
// language server's endpoint accept and refuse the same URLs, and give the same base URL.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointOptions } from '../../server/src/cli/endpoint';
import { UsageError } from '../../server/src/cli/files';
import type { CliIO } from '../../server/src/cli/io';
import { ProvisioningError, resolveEndpoint } from '../../server/src/lsp/provisioning/endpoint';
import { DEFAULT_ENDPOINT } from '../../server/src/scim/endpointUrl';

const io = { env: { SCIM_AGENTS_TOKEN: 't0ken' } } as unknown as CliIO;

function cli(url: string, allowInsecure: boolean): string {
  try {
    return endpointOptions({ endpoint: url, 'allow-insecure-http': allowInsecure }, io).baseUrl;
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return 'refused';
  }
}

function lsp(url: string, allowInsecure: boolean): string {
  try {
    return resolveEndpoint(url, allowInsecure ? { allowInsecureHttp: true } : {});
  } catch (e) {
    assert.ok(e instanceof ProvisioningError, String(e));
    return 'refused';
  }
}

const CASES: [url: string, strict: string, allowed: string][] = [
  ['https://idp.example.com/scim/v2/', 'https://idp.example.com/scim/v2', 'https://idp.example.com/scim/v2'],
  // A query would not be sent (requests build their own): refused, never dropped; a fragment is never sent anyway.
  ['https://idp.example.com/scim/v2?tenant=a#top', 'refused', 'refused'],
  ['https://idp.example.com/scim/v2?', 'https://idp.example.com/scim/v2', 'https://idp.example.com/scim/v2'],
  ['https://idp.example.com/scim/v2#top', 'https://idp.example.com/scim/v2', 'https://idp.example.com/scim/v2'],
  ['http://127.0.0.1:8787/scim/v2', 'http://127.0.0.1:8787/scim/v2', 'http://127.0.0.1:8787/scim/v2'],
  ['http://localhost:9/scim', 'http://localhost:9/scim', 'http://localhost:9/scim'],
  ['http://[::1]:9/scim', 'http://[::1]:9/scim', 'http://[::1]:9/scim'],
  ['http://idp.example.com/scim', 'refused', 'http://idp.example.com/scim'],
  ['http://127.0.0.1.example.com/scim', 'refused', 'http://127.0.0.1.example.com/scim'],
  ['https://user:pw@idp.example.com/scim', 'refused', 'refused'],
  ['ftp://idp.example.com/scim', 'refused', 'refused'],
  ['not a url', 'refused', 'refused'],
];

describe('endpoint URL policy', () => {
  test('the CLI and the language server accept and refuse the same URLs, with the same base URL', () => {
    for (const [url, strict, allowed] of CASES) {
      assert.equal(cli(url, false), strict, `CLI ${url}`);
      assert.equal(lsp(url, false), strict, `LSP ${url}`);
      assert.equal(cli(url, true), allowed, `CLI --allow-insecure-http ${url}`);
      assert.equal(lsp(url, true), allowed, `LSP allowInsecureHttp ${url}`);
    }
  });

  test('with no endpoint set, the language server uses the local sandbox, which the policy allows', () => {
    assert.equal(lsp('', false), DEFAULT_ENDPOINT);
    assert.equal(cli(DEFAULT_ENDPOINT, false), DEFAULT_ENDPOINT);
  });
});
