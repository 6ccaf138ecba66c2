// The indexed paths of the sandbox (indexes.ts, lookup.ts) answer exactly what the full filter
// evaluation answers: case rules per attribute, after creates, updates, renames and deletes,
// across types at the root, with paging and sorting; and a lookup's cost does not grow with
// the store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { URN } from '../../server/src/schema/types';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';

const BULK = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

describe('sandbox: indexed lookups', () => {
  let s: TestSandbox;
  const q = (type: string, filter: string, extra = '') => `/${type}?filter=${encodeURIComponent(filter)}${extra}`;
  const names = async (type: string, filter: string, extra = '') => {
    const r = await s.request('GET', q(type, filter, extra));
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.Resources.map((x: { name?: string; userName?: string }) => x.userName ?? x.name);
  };
  /** The same question through a filter no index answers (`not not`): the full evaluation. */
  const scanned = (type: string, filter: string, extra = '') => names(type, `not (not (${filter}))`, extra);

  before(async () => {
    s = await withSandbox({ maxResults: 1000 });
  });
  after(() => s.dispose());

  it('eq follows caseExact per attribute, exactly as the full evaluation does', async () => {
    for (const a of [
      { name: 'Idx-Alpha', externalId: 'EXT-A', subject: 'Sub-A', displayName: 'Alpha Bot' },
      { name: 'idx-beta', externalId: 'ext-b', subject: 'sub-b' },
    ]) {
      assert.equal((await s.request('POST', '/Agents', { schemas: [URN.agent], ...a })).status, 201);
    }
    const cases: [string, string, string[]][] = [
      ['Agents', 'name eq "IDX-ALPHA"', ['Idx-Alpha']],
      ['Agents', 'externalId eq "ext-a"', []],
      ['Agents', 'externalId eq "EXT-A"', ['Idx-Alpha']],
      ['Agents', 'subject eq "sub-a"', []],
      ['Agents', 'subject eq "Sub-A"', ['Idx-Alpha']],
      ['Agents', 'displayName eq "ALPHA BOT"', ['Idx-Alpha']],
      ['Agents', 'id eq "nope"', []],
      ['Users', 'userName eq "ALICE"', ['alice']],
      ['Agents', 'name eq "idx-beta" or name eq "IDX-ALPHA" or externalId eq "nope"', ['Idx-Alpha', 'idx-beta']],
      ['Agents', 'name eq "idx-alpha" and subject eq "Sub-A"', ['Idx-Alpha']],
      ['Agents', 'name eq "idx-alpha" and subject eq "sub-a"', []],
      ['Agents', 'name eq "idx-alpha" or name sw "idx-b"', ['Idx-Alpha', 'idx-beta']],
    ];
    for (const [type, filter, expected] of cases) {
      assert.deepEqual(await names(type, filter), expected, filter);
      assert.deepEqual(await scanned(type, filter), expected, `${filter} (scanned)`);
    }
  });

  it('keeps the indexes right through PATCH renames, PUT and DELETE, and frees unique names', async () => {
    const made = await s.request('POST', '/Agents', { schemas: [URN.agent], name: 'idx-old', externalId: 'x-1' });
    const id = made.body.id;
    const patched = await s.request('PATCH', `/Agents/${id}`, { schemas: [URN.patchOp], Operations: [{ op: 'replace', path: 'name', value: 'idx-new' }] });
    assert.equal(patched.status, 200);
    assert.deepEqual(await names('Agents', 'name eq "idx-old"'), []);
    assert.deepEqual(await names('Agents', 'name eq "IDX-NEW"'), ['idx-new']);
    assert.deepEqual(await names('Agents', 'externalId eq "x-1"'), ['idx-new']);
    // The old name is free again; the new one is taken (case-insensitively).
    const reuse = await s.request('POST', '/Agents', { schemas: [URN.agent], name: 'IDX-OLD' });
    assert.equal(reuse.status, 201);
    assert.equal((await s.request('POST', '/Agents', { schemas: [URN.agent], name: 'Idx-New' })).status, 409);
    const put = await s.request('PUT', `/Agents/${id}`, { schemas: [URN.agent], name: 'idx-put', externalId: 'x-2' });
    assert.equal(put.status, 200);
    assert.deepEqual(await names('Agents', 'externalId eq "x-1"'), []);
    assert.deepEqual(await names('Agents', 'externalId eq "x-2"'), ['idx-put']);
    assert.equal((await s.request('DELETE', `/Agents/${id}`)).status, 204);
    assert.deepEqual(await names('Agents', 'name eq "idx-put" or externalId eq "x-2"'), []);
    assert.equal((await s.request('POST', '/Agents', { schemas: [URN.agent], name: 'idx-put' })).status, 201, 'a deleted name is free');
  });

  it('back-references and the clean-up after a delete follow the reference index', async () => {
    const a = (await s.request('POST', '/Agents', { schemas: [URN.agent], name: 'ref-agent' })).body;
    const b = (await s.request('POST', '/Agents', { schemas: [URN.agent], name: 'ref-other' })).body;
    const app = (
      await s.request('POST', '/AgenticApplications', { schemas: [URN.agenticApplication], name: 'ref-app', agents: [{ value: a.id, type: 'owned' }] })
    ).body;
    assert.deepEqual(
      (await s.request('GET', `/Agents/${a.id}`)).body.applications.map((x: { value: string }) => x.value),
      [app.id],
    );
    await s.request('PATCH', `/AgenticApplications/${app.id}`, {
      schemas: [URN.patchOp],
      Operations: [{ op: 'replace', path: 'agents', value: [{ value: b.id, type: 'owned' }] }],
    });
    assert.equal((await s.request('GET', `/Agents/${a.id}`)).body.applications, undefined, 'the old back-reference is gone');
    assert.deepEqual(
      (await s.request('GET', `/Agents/${b.id}`)).body.applications.map((x: { value: string }) => x.value),
      [app.id],
    );
    // A filter on a rendered attribute (a back-reference's display) is evaluated on the rendered resource.
    assert.deepEqual(await names('Agents', 'applications.display eq "ref-app"'), ['ref-other']);
    assert.equal((await s.request('DELETE', `/Agents/${b.id}`)).status, 204);
    assert.equal((await s.request('GET', `/AgenticApplications/${app.id}`)).body.agents, undefined, 'the delete removed the reference');
  });

  it('pages and sorts indexed and scanned results alike, rendering only the page', async () => {
    const Operations = Array.from({ length: 30 }, (_, i) => ({
      method: 'POST',
      path: '/Agents',
      bulkId: `p${i}`,
      data: { schemas: [URN.agent], name: `page-${String(i).padStart(2, '0')}`, displayName: i % 3 === 0 ? 'Third' : `Page ${i}` },
    }));
    assert.equal((await s.request('POST', '/Bulk', { schemas: [BULK], Operations })).status, 200);
    for (const extra of ['', '&startIndex=3&count=4', '&startIndex=11&count=5', '&sortBy=name&sortOrder=descending&count=3', '&count=0']) {
      const indexed = await s.request('GET', q('Agents', 'displayName eq "third"', extra));
      const full = await s.request('GET', q('Agents', 'not (not (displayName eq "third"))', extra));
      assert.equal(indexed.body.totalResults, 10, extra);
      assert.equal(indexed.body.totalResults, full.body.totalResults, extra);
      assert.deepEqual(indexed.body.Resources, full.body.Resources, extra);
    }
    const all = await s.request('GET', '/Agents?startIndex=2&count=2');
    assert.equal(all.body.itemsPerPage, 2);
    assert.ok(all.body.Resources[0].meta.location, 'the page is rendered');
  });

  it('answers a root search across types from the indexes', async () => {
    const root = await s.request('POST', '/.search', { schemas: [SEARCH], filter: 'userName eq "BOB" or name eq "PAGE-01"' });
    assert.equal(root.status, 200);
    assert.deepEqual(root.body.Resources.map((r: { meta: { resourceType: string } }) => r.meta.resourceType).sort(), ['Agent', 'User']);
  });

  it('a lookup costs about the same at 8x the store (growth check, generous slack)', async () => {
    const fill = async (from: number, to: number) => {
      for (let start = from; start < to; start += 1000) {
        const ops = [];
        for (let i = start; i < Math.min(to, start + 1000); i++)
          ops.push({ method: 'POST', path: '/Agents', bulkId: `g${i}`, data: { schemas: [URN.agent], name: `grow-${i}`, externalId: `grow-${i}` } });
        assert.equal((await s.request('POST', '/Bulk', { schemas: [BULK], Operations: ops })).status, 200);
      }
    };
    const median = async (n: number) => {
      const times: number[] = [];
      for (let k = 0; k < 25; k++) {
        const t = performance.now();
        const r = await s.request('GET', q('Agents', `externalId eq "grow-${(k * 7919) % n}"`));
        times.push(performance.now() - t);
        assert.equal(r.body.totalResults, 1);
      }
      return times.sort((x, y) => x - y)[12];
    };
    await fill(0, 500);
    const small = await median(500);
    await fill(500, 4000);
    const large = await median(4000);
    // A scan grows 8x; an index lookup stays flat. 3x leaves room for a noisy machine.
    assert.ok(large < small * 3 + 2, `lookup ${small.toFixed(2)} ms at 500 agents, ${large.toFixed(2)} ms at 4,000`);
  });
});
