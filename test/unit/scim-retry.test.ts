import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_RETRY_TUNING, parseRetryAfter } from '../../server/src/scim/retry';
import { parseErrorBody } from '../../server/src/scim/errors';
import { redactUrl, redactHeaders, scrubSecrets } from '../../server/src/scim/redact';

const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('parseRetryAfter', () => {
  test('delta-seconds', () => {
    assert.equal(parseRetryAfter('0', NOW), 0);
    assert.equal(parseRetryAfter(' 120 ', NOW), 120_000);
  });
  test('HTTP-date, in the future and in the past', () => {
    assert.equal(parseRetryAfter('Sun, 29 Nov 2026 12:00:30 GMT', NOW), 30_000);
    assert.equal(parseRetryAfter('Sun, 29 Nov 2026 11:59:00 GMT', NOW), 0);
  });
  test('absent or garbage falls back to backoff (undefined)', () => {
    assert.equal(parseRetryAfter(null, NOW), undefined);
    assert.equal(parseRetryAfter('', NOW), undefined);
    assert.equal(parseRetryAfter('-5', NOW), undefined);
    assert.equal(parseRetryAfter('1.5', NOW), undefined);
    assert.equal(parseRetryAfter('soon', NOW), undefined);
  });
});

describe('backoffDelay', () => {
  const tuning = { ...DEFAULT_RETRY_TUNING, baseDelayMs: 100, maxDelayMs: 1000 };
  test('grows exponentially up to the cap', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 10, 100].map((a) => backoffDelay(a, tuning, () => 0.999999)),
      [99, 199, 399, 799, 999, 999, 999],
    );
  });
  test('full jitter: anywhere from 0 to the ceiling', () => {
    assert.equal(
      backoffDelay(3, tuning, () => 0),
      0,
    );
    assert.equal(
      backoffDelay(3, tuning, () => 0.5),
      400,
    );
  });
});

describe('parseErrorBody', () => {
  test('RFC 7644 error, status as a number or a string', () => {
    assert.deepEqual(parseErrorBody('{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":409,"scimType":"uniqueness","detail":"taken"}'), {
      scimType: 'uniqueness',
      detail: 'taken',
    });
    assert.deepEqual(parseErrorBody('{"status":"400","detail":"bad"}'), { scimType: undefined, detail: 'bad' });
  });
  test('empty, HTML and plain-text bodies', () => {
    assert.deepEqual(parseErrorBody(''), {});
    assert.deepEqual(parseErrorBody('<html><body>502 Bad Gateway</body></html>'), {});
    assert.deepEqual(parseErrorBody('upstream timed out'), { detail: 'upstream timed out' });
  });
  test('JSON that is not an object, and overlong details', () => {
    assert.deepEqual(parseErrorBody('[1,2]'), { detail: '[1,2]' });
    assert.ok(parseErrorBody(JSON.stringify({ detail: 'x'.repeat(2000) })).detail!.length <= 501);
  });
});

describe('redaction', () => {
  test('URLs lose user-info and secret query values, keep filters', () => {
    const safe = redactUrl('https://user:pw@idp.example/scim/v2/Users?access_token=abc&filter=userName%20eq%20%22x%22');
    assert.ok(!safe.includes('abc') && !safe.includes('pw'));
    assert.ok(safe.includes('filter=userName'));
  });
  test('headers and echoed secrets', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Bearer s3cret', Accept: 'application/scim+json' }), {
      Authorization: '[redacted]',
      Accept: 'application/scim+json',
    });
    assert.equal(scrubSecrets('bad token s3cret-token given', ['s3cret-token']), 'bad token [redacted] given');
  });
});
