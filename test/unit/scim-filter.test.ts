import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'scim2-parse-filter';
import { anyOfFilter, chunkForOrFilters, eqFilter, resourceHasValue, valuesAtPath } from '../../server/src/scim/filter';

describe('filter building', () => {
  test('eq uses double quotes and JSON escaping', () => {
    assert.equal(eqFilter('externalId', 'agent-42'), 'externalId eq "agent-42"');
    assert.equal(eqFilter('userName', 'a"b\\c'), 'userName eq "a\\"b\\\\c"');
    assert.equal(eqFilter('name', "it's"), 'name eq "it\'s"');
    // compValue is a JSON string (RFC 7644 §3.4.2.2): backslash, newline, tab and other controls are JSON escapes.
    for (const value of ['back\\slash', 'new\nline', 'tab\there', 'ends\\', 'bell\u0007', 'sep\u2028x'])
      assert.equal(eqFilter('name', value), `name eq ${JSON.stringify(value)}`, JSON.stringify(value));
  });
  test('or of eq terms parses back to the same values', () => {
    const text = anyOfFilter('externalId', ['a', 'b', 'c']);
    assert.equal(text, 'externalId eq "a" or externalId eq "b" or externalId eq "c"');
    const ast = parse(text);
    assert.equal(ast.op, 'or');
    assert.equal(anyOfFilter('externalId', ['only']), 'externalId eq "only"');
    assert.throws(() => anyOfFilter('externalId', []));
  });
  test('chunks respect both the count and the length limit', () => {
    const values = Array.from({ length: 250 }, (_, i) => `v${i}`);
    assert.deepEqual(
      chunkForOrFilters('externalId', values, 100, 1_000_000).map((c) => c.length),
      [100, 100, 50],
    );
    const byLength = chunkForOrFilters('externalId', values, 100, 200);
    assert.ok(byLength.every((c) => anyOfFilter('externalId', c).length <= 200));
    assert.deepEqual(byLength.flat(), values);
  });
});

describe('match verification', () => {
  const user = {
    id: '1',
    userName: 'Alice@Example.com',
    externalId: 'X-1',
    emails: [{ value: 'a@x.test' }, { value: 'b@x.test' }],
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { employeeNumber: '42' },
  };
  test('values at dotted, multi-valued and extension paths, names case-insensitive', () => {
    assert.deepEqual(valuesAtPath(user, 'emails.value'), ['a@x.test', 'b@x.test']);
    assert.deepEqual(valuesAtPath(user, 'USERNAME'), ['Alice@Example.com']);
    assert.deepEqual(valuesAtPath(user, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber'), ['42']);
  });
  test('caseExact decides how values compare', () => {
    assert.equal(resourceHasValue(user, 'userName', 'alice@example.com', false), true);
    assert.equal(resourceHasValue(user, 'externalId', 'x-1', true), false);
    assert.equal(resourceHasValue(user, 'emails.value', 'b@x.test', false), true);
    assert.equal(resourceHasValue(user, 'externalId', 'a@x.test', true), false, 'a wrong server match (jackson) is rejected');
  });
});
