import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bulkRequestBody, planBulkBatches, referencedBulkIds, type BulkOperation } from '../../server/src/scim/bulk';

const agent = (id: string, extra: Record<string, unknown> = {}): BulkOperation => ({
  method: 'POST',
  path: '/Agents',
  bulkId: id,
  data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Agent'], name: id, ...extra },
});
const app = (id: string, agents: string[]): BulkOperation => ({
  method: 'POST',
  path: '/AgenticApplications',
  bulkId: id,
  data: { name: id, agents: agents.map((a) => ({ value: `bulkId:${a}` })) },
});

describe('bulk planning', () => {
  test('references are found in data and path', () => {
    assert.deepEqual([...referencedBulkIds(app('x', ['a', 'b']))], ['a', 'b']);
    assert.deepEqual([...referencedBulkIds({ method: 'PATCH', path: '/Agents/bulkId:p', data: {} })], ['p']);
  });

  test('definitions are ordered before references; otherwise input order is kept', () => {
    const [batch] = planBulkBatches([app('app', ['a1']), agent('a0'), agent('a1', { parent: { value: 'bulkId:a0' } })]);
    assert.deepEqual(
      batch!.map((o) => o.bulkId),
      ['a0', 'a1', 'app'],
    );
  });

  test('splits on maxOperations', () => {
    const ops = Array.from({ length: 7 }, (_, i) => agent(`a${i}`));
    assert.deepEqual(
      planBulkBatches(ops, { maxOperations: 3 }).map((b) => b.length),
      [3, 3, 1],
    );
  });

  test('splits on maxPayloadSize, every batch within it', () => {
    const ops = Array.from({ length: 20 }, (_, i) => agent(`a${i}`, { description: 'd'.repeat(100) }));
    const limit = 800;
    const batches = planBulkBatches(ops, { maxPayloadSize: limit });
    assert.ok(batches.length > 1);
    for (const b of batches) assert.ok(Buffer.byteLength(JSON.stringify(bulkRequestBody(b, 1))) <= limit);
    assert.equal(batches.flat().length, 20);
  });

  test('fills each batch up to maxPayloadSize: the next operation would not have fitted', () => {
    const ops = Array.from({ length: 60 }, (_, i) => agent(`a${i}`, { description: 'd'.repeat((i % 7) * 13) }));
    const limit = 1500;
    const batches = planBulkBatches(ops, { maxPayloadSize: limit });
    const size = (b: BulkOperation[]) => Buffer.byteLength(JSON.stringify(bulkRequestBody(b, 1)));
    assert.equal(batches.flat().length, 60);
    batches.forEach((b, i) => {
      assert.ok(size(b) <= limit, `batch ${i} is ${size(b)} bytes`);
      if (i + 1 < batches.length) assert.ok(size([...b, batches[i + 1]![0]!]) > limit, `batch ${i} could have taken one more`);
    });
  });

  test('rejects cycles, duplicate bulkIds, POST without bulkId and oversized single operations', () => {
    assert.throws(() => planBulkBatches([agent('a', { parent: { value: 'bulkId:b' } }), agent('b', { parent: { value: 'bulkId:a' } })]), /cycle/);
    assert.throws(() => planBulkBatches([agent('a'), agent('a')]), /duplicate/);
    assert.throws(() => planBulkBatches([{ method: 'POST', path: '/Agents', data: {} }]), /needs a bulkId/);
    assert.throws(() => planBulkBatches([agent('a', { description: 'x'.repeat(500) })], { maxPayloadSize: 100 }), /exceeds/);
  });

  test('the request body follows RFC 7644 §3.7', () => {
    const body = bulkRequestBody([{ method: 'DELETE', path: '/Agents/1', version: 'W/"1"' }], 1);
    assert.deepEqual(body, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'DELETE', path: '/Agents/1', version: 'W/"1"' }],
      failOnErrors: 1,
    });
  });
});
