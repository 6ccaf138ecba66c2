// Server ids that cannot stand as one URL path segment, and URLs in messages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ScimClient, isAddressableId, isScimError, resourcePath, shortUrl } from '../../server/src/scim';

describe('hostile ids', () => {
  test('., .., empty, and ids with /, ?, #, \\ or control characters are refused', () => {
    for (const id of ['.', '..', '', ' ', 'a/b', 'a?b', 'a#b', 'a\\b', 'a\nb', 'x'.repeat(2000)]) {
      assert.equal(isAddressableId(id), false, JSON.stringify(id));
      assert.throws(
        () => resourcePath('/Agents', id),
        (e: unknown) => isScimError(e) && e.kind === 'refused' && /cannot be used in a URL safely/.test(e.message),
      );
    }
    for (const id of ['42', 'a.b', '...', '%2e%2e', '7ff1-αβ', 'user@example.com']) assert.equal(isAddressableId(id), true, id);
    assert.equal(resourcePath('/Agents', '%2e%2e'), '/Agents/%252e%252e');
  });

  test('a refused id never leaves the client: no request is made', async () => {
    let requests = 0;
    const client = new ScimClient({
      baseUrl: 'http://127.0.0.1:9/scim/v2',
      auth: { kind: 'bearer', token: 't' },
      fetchImpl: (async () => {
        requests++;
        throw new Error('unreachable');
      }) as typeof fetch,
    });
    await assert.rejects(client.delete('/Agents', '..'), (e: unknown) => isScimError(e) && e.kind === 'refused');
    await assert.rejects(
      client.patch('/Agents', '.', [{ op: 'replace', path: 'active', value: false }]),
      (e: unknown) => isScimError(e) && e.kind === 'refused',
    );
    assert.equal(requests, 0);
  });
});

describe('URLs in messages', () => {
  test('a long query is elided, and the whole is capped', () => {
    assert.equal(shortUrl('http://h/scim/v2/Users?filter=a'), 'http://h/scim/v2/Users?filter=a');
    assert.equal(shortUrl(`http://h/scim/v2/Users?filter=${'x'.repeat(4000)}`), 'http://h/scim/v2/Users?…');
    assert.ok(shortUrl(`http://h/${'p'.repeat(500)}`).length <= 120);
  });
});
