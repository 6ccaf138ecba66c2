import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { URN } from '../../server/src/schema/types';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';

const SEARCH = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

describe('sandbox: filters, sorting, paging, projection, search', () => {
  let s: TestSandbox;
  const names = async (path: string) => {
    const r = await s.request('GET', path);
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    return r.body.Resources?.map((x: { name?: string; userName?: string }) => x.userName ?? x.name) ?? [];
  };
  const f = (filter: string) => `/Agents?filter=${encodeURIComponent(filter)}&sortBy=name`;

  before(async () => {
    s = await withSandbox({ maxResults: 50 });
    const agents = [
      {
        name: 'Alpha',
        externalId: 'EXT-1',
        agentType: 'Assistant',
        active: true,
        subject: 'Sub-A',
        roles: [
          { value: 'reader', type: 'perm' },
          { value: 'admin', primary: true },
        ],
      },
      { name: 'beta', externalId: 'ext-2', agentType: 'Chat bot', active: false, subject: 'sub-b', roles: [{ value: 'writer', type: 'perm' }] },
      { name: 'Gamma', externalId: 'ext-3', active: true },
      { name: 'delta', description: 'no type' },
    ];
    for (const a of agents) assert.equal((await s.request('POST', '/Agents', { schemas: [URN.agent], ...a })).status, 201);
  });
  after(() => s.dispose());

  it('eq on a caseExact=false attribute ignores case; on caseExact=true it does not', async () => {
    assert.deepEqual(await names(f('name eq "ALPHA"')), ['Alpha']);
    assert.deepEqual(await names(f('externalId eq "ext-1"')), []);
    assert.deepEqual(await names(f('externalId eq "EXT-1"')), ['Alpha']);
    assert.deepEqual(await names(f('subject eq "sub-a"')), [], 'subject is caseExact in the schema');
    assert.deepEqual(await names('/Users?filter=' + encodeURIComponent('userName eq "BOB"')), ['bob']);
  });

  it('supports every comparison operator', async () => {
    assert.deepEqual(await names(f('name ne "alpha"')), ['beta', 'delta', 'Gamma']);
    assert.deepEqual(await names(f('name co "ET"')), ['beta']);
    assert.deepEqual(await names(f('name sw "g"')), ['Gamma']);
    assert.deepEqual(await names(f('name ew "A"')), ['Alpha', 'beta', 'delta', 'Gamma']);
    assert.deepEqual(await names(f('agentType pr')), ['Alpha', 'beta']);
    assert.deepEqual(await names(f('name gt "beta"')), ['delta', 'Gamma']);
    assert.deepEqual(await names(f('name ge "beta"')), ['beta', 'delta', 'Gamma']);
    assert.deepEqual(await names(f('name lt "beta"')), ['Alpha']);
    assert.deepEqual(await names(f('name le "beta"')), ['Alpha', 'beta']);
    assert.deepEqual(await names(f('active eq false')), ['beta']);
    assert.deepEqual(await names(f('agentType eq null')), ['delta', 'Gamma']);
  });

  it('supports and, or, not, grouping and valuePath filters', async () => {
    assert.deepEqual(await names(f('active eq true and agentType pr')), ['Alpha']);
    assert.deepEqual(await names(f('name eq "beta" or name eq "gamma"')), ['beta', 'Gamma']);
    assert.deepEqual(await names(f('not (active eq true)')), ['beta', 'delta']);
    assert.deepEqual(await names(f('(name sw "a" or name sw "b") and not (active eq false)')), ['Alpha']);
    assert.deepEqual(await names(f('roles[type eq "PERM" and value eq "writer"]')), ['beta']);
    assert.deepEqual(await names(f('roles.value eq "admin"')), ['Alpha']);
    assert.deepEqual(await names(f('roles eq "reader"')), ['Alpha'], 'a complex attribute compares its value');
  });

  it('compares dateTimes as instants and filters on meta', async () => {
    const all = await s.request('GET', '/Agents?sortBy=meta.created');
    const firstCreated = all.body.Resources[0].meta.created;
    const later = await names(f(`meta.created gt "${firstCreated}"`));
    assert.ok(!later.includes('Alpha'));
    const offset = new Date(Date.parse(firstCreated)).toISOString().replace('Z', '+00:00');
    assert.deepEqual(await names(f(`meta.created ge "${offset}" and name eq "alpha"`)), ['Alpha']);
    assert.equal((await names(f('meta.resourceType eq "Agent"'))).length, 4);
  });

  it('decodes JSON string escapes in compValue (\\\\, \\n, \\t, \\", \\uXXXX, \\/), also a value ending in a backslash', async () => {
    const odd = ['back\\slash', 'new\nline', 'tab\there', 'quote"d', 'ends\\', 'slash/A'];
    for (const name of odd) assert.equal((await s.request('POST', '/Agents', { schemas: [URN.agent], name })).status, 201, name);
    try {
      for (const name of odd) {
        // JSON.stringify writes the value as the JSON string RFC 7644 §3.4.2.2 asks for.
        assert.deepEqual(await names(f(`name eq ${JSON.stringify(name)}`)), [name], name);
        assert.deepEqual(await names(f(`name eq "x" or name eq ${JSON.stringify(name)}`)), [name], `${name} in an or`);
      }
      assert.deepEqual(await names(f('name eq "slash\\/\\u0041"')), ['slash/A'], 'escaped solidus and \\u escape');
      assert.deepEqual(await names(f('name co "k\\\\s"')), ['back\\slash']);
      assert.deepEqual(await names(f('roles[value eq "re\\u0061der"]')), ['Alpha'], 'inside a value path');
    } finally {
      const all = (await s.request('GET', '/Agents?count=100')).body.Resources as { id: string; name: string }[];
      for (const a of all.filter((x) => odd.includes(x.name))) await s.request('DELETE', `/Agents/${a.id}`);
    }
  });

  it('rejects invalid filters with 400 invalidFilter', async () => {
    for (const bad of [
      "name eq 'single'",
      'name eq',
      'nope eq "x"',
      'active gt true',
      'meta.created gt "yesterday"',
      'name[value eq "x"]',
      'name eq "bad \\q escape"',
    ]) {
      const r = await s.request('GET', '/Agents?filter=' + encodeURIComponent(bad));
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.scimType, 'invalidFilter', bad);
    }
  });

  it('sorts ascending and descending, case-insensitively, missing values last', async () => {
    assert.deepEqual(await names('/Agents?sortBy=name'), ['Alpha', 'beta', 'delta', 'Gamma']);
    assert.deepEqual(await names('/Agents?sortBy=NAME&sortOrder=descending'), ['Gamma', 'delta', 'beta', 'Alpha']);
    assert.deepEqual(await names('/Agents?sortBy=agentType'), ['Alpha', 'beta', 'Gamma', 'delta']);
    assert.deepEqual(await names('/Agents?sortBy=roles'), ['Alpha', 'beta', 'Gamma', 'delta'], 'primary role admin < writer');
    assert.equal((await s.request('GET', '/Agents?sortOrder=sideways')).status, 400);
  });

  it('pages by startIndex and count (RFC 7644 §3.4.2.4)', async () => {
    const page = async (q: string) => (await s.request('GET', `/Agents?sortBy=name&${q}`)).body;
    const p1 = await page('startIndex=1&count=2');
    assert.equal(p1.totalResults, 4);
    assert.equal(p1.startIndex, 1);
    assert.equal(p1.itemsPerPage, 2);
    assert.deepEqual(
      p1.Resources.map((r: { name: string }) => r.name),
      ['Alpha', 'beta'],
    );
    const p2 = await page('startIndex=3&count=2');
    assert.deepEqual(
      p2.Resources.map((r: { name: string }) => r.name),
      ['delta', 'Gamma'],
    );
    const last = await page('startIndex=4&count=10');
    assert.equal(last.itemsPerPage, 1);
    const past = await page('startIndex=9&count=2');
    assert.equal(past.totalResults, 4);
    assert.equal(past.itemsPerPage, 0);
    assert.deepEqual(past.Resources, []);
    const zero = await page('count=0');
    assert.equal(zero.totalResults, 4);
    assert.equal(zero.itemsPerPage, 0);
    const negative = await page('startIndex=-5&count=-1');
    assert.equal(negative.startIndex, 1);
    assert.equal(negative.itemsPerPage, 0);
    const capped = await page('count=1000');
    assert.equal(capped.itemsPerPage, 4);
    assert.equal((await s.request('GET', '/Agents?count=abc')).status, 400);
  });

  it('caps a page at filter.maxResults', async () => {
    for (let i = 0; i < 50; i++) await s.request('POST', '/Users', { schemas: [URN.user], userName: `bulk-user-${i}` });
    const r = await s.request('GET', '/Users?count=500');
    assert.equal(r.body.totalResults, 53);
    assert.equal(r.body.itemsPerPage, 50);
  });

  it('projects with attributes and excludedAttributes; id and schemas always come back', async () => {
    const r = await s.request('GET', f('name eq "alpha"') + '&attributes=name,roles.value');
    const a = r.body.Resources[0];
    assert.deepEqual(Object.keys(a).sort(), ['id', 'name', 'roles', 'schemas']);
    assert.deepEqual(a.roles, [{ value: 'reader' }, { value: 'admin' }]);
    const ex = await s.request('GET', f('name eq "alpha"') + '&excludedAttributes=roles,meta,id');
    assert.equal(ex.body.Resources[0].roles, undefined);
    assert.equal(ex.body.Resources[0].meta, undefined);
    assert.ok(ex.body.Resources[0].id, 'id is returned always');
    const one = await s.request('GET', `/Agents/${a.id}?attributes=externalId`);
    assert.deepEqual(Object.keys(one.body).sort(), ['externalId', 'id', 'schemas']);
  });

  it('never returns writeOnly passwords', async () => {
    const u = await s.request('POST', '/Users', { schemas: [URN.user], userName: 'pw-user', password: 'Secret-123' });
    assert.equal(u.status, 201);
    assert.equal(u.body.password, undefined);
    const again = await s.request('GET', `/Users/${u.body.id}?attributes=password`);
    assert.equal(again.body.password, undefined);
  });

  it('searches with POST /.search on an endpoint and at the root', async () => {
    const r = await s.request('POST', '/Agents/.search', { schemas: [SEARCH], filter: 'name sw "a"', attributes: ['name'], count: 5 });
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.Resources.map((x: { name: string }) => x.name),
      ['Alpha'],
    );
    const root = await s.request('POST', '/.search', { schemas: [SEARCH], filter: 'userName eq "alice" or name eq "beta"' });
    assert.equal(root.status, 200, JSON.stringify(root.body));
    assert.equal(root.body.totalResults, 2);
    const kinds = root.body.Resources.map((x: { meta: { resourceType: string } }) => x.meta.resourceType).sort();
    assert.deepEqual(kinds, ['Agent', 'User']);
    assert.equal((await s.request('POST', '/Agents/.search', { filter: 'name pr' })).status, 400);
    assert.equal((await s.request('GET', '/Agents/.search')).status, 405);
  });
});
