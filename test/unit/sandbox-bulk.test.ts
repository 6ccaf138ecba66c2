import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { URN } from '../../server/src/schema/types';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const bulk = (Operations: unknown[], extra: Record<string, unknown> = {}) => ({ schemas: [BULK], Operations, ...extra });

describe('sandbox: Bulk', () => {
  let s: TestSandbox;
  before(async () => {
    s = await withSandbox({ bulk: { maxOperations: 10, maxPayloadSize: 32 * 1024 } });
  });
  after(() => s.dispose());

  it('resolves bulkId references whatever the order, including AgenticApplication.agents', async () => {
    const r = await s.request(
      'POST',
      '/Bulk',
      bulk([
        {
          method: 'POST',
          path: '/AgenticApplications',
          bulkId: 'app',
          data: { schemas: [URN.agenticApplication], name: 'bulk-app', agents: [{ value: 'bulkId:a1', type: 'owned' }, { value: 'bulkId:a2' }] },
        },
        { method: 'POST', path: '/Agents', bulkId: 'a1', data: { schemas: [URN.agent], name: 'bulk-a1', parent: { value: 'bulkId:a2' } } },
        { method: 'POST', path: '/Agents', bulkId: 'a2', data: { schemas: [URN.agent], name: 'bulk-a2' } },
        {
          method: 'PATCH',
          path: '/Agents/bulkId:a2',
          data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'description', value: 'patched in bulk' }] },
        },
      ]),
    );
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.schemas, ['urn:ietf:params:scim:api:messages:2.0:BulkResponse']);
    const ops = r.body.Operations;
    assert.deepEqual(
      ops.map((o: { status: string }) => o.status),
      ['201', '201', '201', '200'],
      JSON.stringify(ops),
    );
    assert.equal(ops[0].bulkId, 'app');
    assert.match(ops[0].version, /^W\//);
    const app = await s.request('GET', ops[0].location);
    const a1 = await s.request('GET', ops[1].location);
    const a2 = await s.request('GET', ops[2].location);
    assert.deepEqual(
      app.body.agents.map((a: { value: string }) => a.value),
      [a1.body.id, a2.body.id],
    );
    assert.equal(a1.body.parent.value, a2.body.id);
    assert.equal(a2.body.description, 'patched in bulk');
    assert.equal(a1.body.applications[0].value, app.body.id);
  });

  it('answers 409 for circular and undefined references and for references to failed operations', async () => {
    const r = await s.request(
      'POST',
      '/Bulk',
      bulk([
        { method: 'POST', path: '/Agents', bulkId: 'c1', data: { schemas: [URN.agent], name: 'cycle-1', parent: { value: 'bulkId:c2' } } },
        { method: 'POST', path: '/Agents', bulkId: 'c2', data: { schemas: [URN.agent], name: 'cycle-2', parent: { value: 'bulkId:c1' } } },
        { method: 'POST', path: '/Groups', bulkId: 'g', data: { schemas: [URN.group], displayName: 'dangling', members: [{ value: 'bulkId:missing' }] } },
        { method: 'POST', path: '/Agents', bulkId: 'bad', data: { schemas: [URN.agent] } },
        {
          method: 'POST',
          path: '/AgenticApplications',
          bulkId: 'after-bad',
          data: { schemas: [URN.agenticApplication], name: 'x', agents: [{ value: 'bulkId:bad' }] },
        },
      ]),
    );
    const byId = Object.fromEntries(r.body.Operations.map((o: { bulkId: string; status: string }) => [o.bulkId, o.status]));
    assert.deepEqual(byId, { c1: '409', c2: '409', g: '409', bad: '400', 'after-bad': '409' });
    const failed = r.body.Operations.find((o: { bulkId: string }) => o.bulkId === 'bad');
    assert.equal(failed.response.scimType, 'invalidValue');
    assert.equal((await s.request('GET', '/Agents?filter=name%20sw%20%22cycle%22')).body.totalResults, 0);
  });

  it('stops after failOnErrors errors', async () => {
    const r = await s.request(
      'POST',
      '/Bulk',
      bulk(
        [
          { method: 'POST', path: '/Agents', bulkId: 'f1', data: { schemas: [URN.agent] } },
          { method: 'DELETE', path: '/Agents/no-such-agent' },
          { method: 'POST', path: '/Agents', bulkId: 'f3', data: { schemas: [URN.agent], name: 'never-created' } },
        ],
        { failOnErrors: 2 },
      ),
    );
    assert.deepEqual(
      r.body.Operations.map((o: { status: string }) => o.status),
      ['400', '404'],
    );
    assert.equal((await s.request('GET', '/Agents?filter=name%20eq%20%22never-created%22')).body.totalResults, 0);
  });

  it('runs PUT and DELETE with version as If-Match', async () => {
    const a = await s.request('POST', '/Agents', { schemas: [URN.agent], name: 'bulk-versioned' });
    const r = await s.request(
      'POST',
      '/Bulk',
      bulk([
        { method: 'PUT', path: `/Agents/${a.body.id}`, version: 'W/"stale"', data: { schemas: [URN.agent], name: 'bulk-versioned', description: 'x' } },
        { method: 'DELETE', path: `/Agents/${a.body.id}`, version: a.body.meta.version },
      ]),
    );
    assert.deepEqual(
      r.body.Operations.map((o: { status: string }) => o.status),
      ['412', '204'],
    );
  });

  it('refuses malformed requests and operations', async () => {
    assert.equal((await s.request('POST', '/Bulk', { Operations: [] })).body.scimType, 'invalidSyntax');
    const r = await s.request(
      'POST',
      '/Bulk',
      bulk([
        { method: 'POST', path: '/Agents', data: { schemas: [URN.agent], name: 'no-bulk-id' } },
        { method: 'GET', path: '/Agents' },
        { method: 'POST', path: '/Nowhere', bulkId: 'n', data: {} },
      ]),
    );
    assert.deepEqual(
      r.body.Operations.map((o: { status: string }) => o.status),
      ['400', '400', '404'],
    );
  });

  it('answers 413 above maxOperations and maxPayloadSize', async () => {
    const many = Array.from({ length: 11 }, (_, i) => ({
      method: 'POST',
      path: '/Agents',
      bulkId: `m${i}`,
      data: { schemas: [URN.agent], name: `many-${i}` },
    }));
    const tooMany = await s.request('POST', '/Bulk', bulk(many));
    assert.equal(tooMany.status, 413);
    assert.equal(tooMany.body.status, '413');
    const big = await s.request(
      'POST',
      '/Bulk',
      bulk([{ method: 'POST', path: '/Agents', bulkId: 'big', data: { schemas: [URN.agent], name: 'big', description: 'x'.repeat(40 * 1024) } }]),
    );
    assert.equal(big.status, 413);
  });
});
