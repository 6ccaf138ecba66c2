import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { URN } from '../../server/src/schema/types';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';

const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const agent = (name: string, extra: Record<string, unknown> = {}) => ({ schemas: [URN.agent], name, ...extra });

describe('sandbox: create, read, replace, patch, delete', () => {
  let s: TestSandbox;
  let aliceId: string;
  let teamId: string;
  before(async () => {
    s = await withSandbox();
    aliceId = (await s.request('GET', '/Users?filter=userName%20eq%20%22alice%22')).body.Resources[0].id;
    teamId = (await s.request('GET', '/Groups?filter=displayName%20eq%20%22AI%20Platform%20Team%22')).body.Resources[0].id;
  });
  after(() => s.dispose());

  it('seeds alice, bob, a deactivated carol and the AI Platform Team', async () => {
    const users = await s.request('GET', '/Users?sortBy=userName');
    assert.deepEqual(
      users.body.Resources.map((u: { userName: string }) => u.userName),
      ['alice', 'bob', 'carol'],
    );
    assert.equal(users.body.Resources[2].active, false);
    const team = await s.request('GET', `/Groups/${teamId}`);
    assert.equal(team.body.members.length, 2);
  });

  it('creates with 201, Location, ETag equal to meta.version and an absolute meta.location', async () => {
    const r = await s.request('POST', '/Agents', agent('create-1', { owners: [{ value: aliceId }], id: 'client-chosen', meta: { version: 'x' } }));
    assert.equal(r.status, 201);
    assert.notEqual(r.body.id, 'client-chosen');
    assert.equal(r.headers.get('location'), `${s.baseUrl}/Agents/${r.body.id}`);
    assert.equal(r.body.meta.location, r.headers.get('location'));
    assert.match(r.headers.get('etag') ?? '', /^W\/".+"$/);
    assert.equal(r.body.meta.version, r.headers.get('etag'));
    assert.equal(r.body.meta.resourceType, 'Agent');
    assert.equal(r.body.owners[0].$ref, `${s.baseUrl}/Users/${aliceId}`);
    assert.equal(r.body.owners[0].display, 'Alice Nakamura');
  });

  it('reads by id, and answers If-None-Match with 304', async () => {
    const created = await s.request('POST', '/Agents', agent('read-1'));
    const r = await s.request('GET', `/Agents/${created.body.id}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.name, 'read-1');
    const etag = r.headers.get('etag')!;
    assert.equal((await s.request('GET', `/Agents/${created.body.id}`, undefined, { 'If-None-Match': etag })).status, 304);
    assert.equal((await s.request('GET', `/Agents/${created.body.id}`, undefined, { 'If-None-Match': 'W/"other"' })).status, 200);
    assert.equal((await s.request('GET', '/Agents/no-such-id')).status, 404);
  });

  it('accepts attribute names in any case and aliases, and stores the canonical names', async () => {
    const r = await s.request('POST', '/Agents', {
      SCHEMAS: [URN.agent],
      NAME: 'case-1',
      DisplayName: 'Case',
      Protocols: [{ TYPE: 'A2A', specifiationUrl: 'https://a.example/card.json' }],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.equal(r.body.name, 'case-1');
    assert.equal(r.body.displayName, 'Case');
    assert.deepEqual(r.body.protocols, [{ type: 'A2A', specificationUrl: 'https://a.example/card.json' }]);
  });

  it('validates input: required, types, unknown attributes, schemas, primary', async () => {
    const cases: [unknown, string][] = [
      [{ schemas: [URN.agent] }, 'invalidValue'],
      [agent(''), 'invalidValue'],
      [agent('t1', { active: 'yes' }), 'invalidValue'],
      [agent('t2', { roles: { value: 'x' } }), 'invalidValue'],
      [agent('t3', { x509Certificates: [{ value: 'not base64!' }] }), 'invalidValue'],
      [agent('t4', { nonsense: 1 }), 'invalidSyntax'],
      [
        agent('t5', {
          roles: [
            { value: 'a', primary: true },
            { value: 'b', primary: true },
          ],
        }),
        'invalidValue',
      ],
      [{ name: 'no-schemas' }, 'invalidValue'],
      [{ schemas: [URN.user], name: 'wrong-schema' }, 'invalidValue'],
      [agent('t6', { NAME: 'dup' }), 'invalidSyntax'],
    ];
    for (const [body, scimType] of cases) {
      const r = await s.request('POST', '/Agents', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.scimType, scimType, JSON.stringify(body) + ' ' + r.body.detail);
      assert.deepEqual(r.body.schemas, [URN.error]);
      assert.equal(r.body.status, '400');
    }
  });

  it('ignores readOnly attributes and computes Agent.applications and User.groups', async () => {
    const a = await s.request('POST', '/Agents', agent('computed-1', { applications: [{ value: 'fake' }], groups: [{ value: 'fake' }] }));
    assert.equal(a.status, 201);
    assert.equal(a.body.applications, undefined);
    const app = await s.request('POST', '/AgenticApplications', {
      schemas: [URN.agenticApplication],
      name: 'computed-app',
      agents: [{ value: a.body.id, type: 'owned' }],
    });
    assert.equal(app.status, 201);
    const again = await s.request('GET', `/Agents/${a.body.id}`);
    assert.deepEqual(again.body.applications, [{ value: app.body.id, $ref: `${s.baseUrl}/AgenticApplications/${app.body.id}`, display: 'computed-app' }]);
    const alice = await s.request('GET', `/Users/${aliceId}`);
    assert.ok(alice.body.groups.some((g: { value: string; display: string }) => g.value === teamId && g.display === 'AI Platform Team'));
  });

  it('refuses references to resources that do not exist (400 invalidValue)', async () => {
    const g = await s.request('POST', '/Groups', { schemas: [URN.group], displayName: 'ghosts', members: [{ value: 'no-such-user' }] });
    assert.equal(g.status, 400);
    assert.equal(g.body.scimType, 'invalidValue');
    const app = await s.request('POST', '/AgenticApplications', { schemas: [URN.agenticApplication], name: 'ghost-app', agents: [{ value: aliceId }] });
    assert.equal(app.status, 400, 'a User is not an Agent');
    const agentInGroup = await s.request('POST', '/Agents', agent('member-agent'));
    const ok = await s.request('POST', '/Groups', { schemas: [URN.group], displayName: 'with agent', members: [{ value: agentInGroup.body.id }] });
    assert.equal(ok.status, 201);
    const back = await s.request('GET', `/Agents/${agentInGroup.body.id}`);
    assert.equal(back.body.groups[0].value, ok.body.id);
  });

  it('enforces server uniqueness case-insensitively (409 uniqueness) on POST, PUT and PATCH', async () => {
    const first = await s.request('POST', '/Agents', agent('Unique-Bot'));
    assert.equal(first.status, 201);
    const clash = await s.request('POST', '/Agents', agent('unique-bot'));
    assert.equal(clash.status, 409);
    assert.equal(clash.body.scimType, 'uniqueness');
    const other = await s.request('POST', '/Agents', agent('other-bot'));
    const put = await s.request('PUT', `/Agents/${other.body.id}`, agent('UNIQUE-BOT'));
    assert.equal(put.status, 409);
    const patch = await s.request('PATCH', `/Agents/${other.body.id}`, {
      schemas: [PATCH],
      Operations: [{ op: 'replace', path: 'name', value: 'unique-BOT' }],
    });
    assert.equal(patch.status, 409);
    const user = await s.request('POST', '/Users', { schemas: [URN.user], userName: 'ALICE' });
    assert.equal(user.status, 409);
  });

  it('replaces with PUT: readOnly ignored, required checked, omitted attributes cleared', async () => {
    const a = await s.request('POST', '/Agents', agent('put-1', { description: 'old', agentType: 'Assistant' }));
    const r = await s.request('PUT', `/Agents/${a.body.id}`, agent('put-1', { description: 'new', id: 'ignored', meta: { created: '2000-01-01T00:00:00Z' } }));
    assert.equal(r.status, 200);
    assert.equal(r.body.id, a.body.id);
    assert.equal(r.body.description, 'new');
    assert.equal(r.body.agentType, undefined);
    assert.equal(r.body.meta.created, a.body.meta.created);
    assert.notEqual(r.body.meta.version, a.body.meta.version);
    assert.equal(r.headers.get('etag'), r.body.meta.version);
    const missing = await s.request('PUT', `/Agents/${a.body.id}`, { schemas: [URN.agent], description: 'no name' });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.scimType, 'invalidValue');
    assert.equal((await s.request('PUT', '/Agents/nope', agent('x'))).status, 404);
  });

  it('PATCH accepts mixed-case ops and names, returns 200 with the resource', async () => {
    const a = await s.request('POST', '/Agents', agent('patch-1', { roles: [{ value: 'reader' }] }));
    const r = await s.request('PATCH', `/Agents/${a.body.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'Replace', path: 'DisplayName', value: 'Patched' },
        { op: 'ADD', path: 'roles', value: [{ Value: 'writer' }] },
        { op: 'add', value: { Description: 'via value', agentType: 'Chat bot' } },
        { op: 'remove', path: 'roles[value eq "reader"]' },
      ],
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.displayName, 'Patched');
    assert.deepEqual(r.body.roles, [{ value: 'writer' }]);
    assert.equal(r.body.description, 'via value');
    assert.equal(r.body.agentType, 'Chat bot');
    assert.equal(r.headers.get('etag'), r.body.meta.version);
  });

  it('PATCH is atomic: one failing operation changes nothing', async () => {
    const a = await s.request('POST', '/Agents', agent('atomic-1', { description: 'before' }));
    const r = await s.request('PATCH', `/Agents/${a.body.id}`, {
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'description', value: 'after' },
        { op: 'replace', path: 'roles[value eq "nope"].display', value: 'x' },
      ],
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.scimType, 'noTarget');
    const after = await s.request('GET', `/Agents/${a.body.id}`);
    assert.equal(after.body.description, 'before');
    assert.equal(after.body.meta.version, a.body.meta.version);
  });

  it('PATCH errors: bad op, bad path, readOnly target, required removal, wrong type, no schemas', async () => {
    const a = await s.request('POST', '/Agents', agent('patch-err'));
    const cases: [unknown, number, string | undefined][] = [
      [{ schemas: [PATCH], Operations: [{ op: 'move', path: 'name', value: 'x' }] }, 400, 'invalidSyntax'],
      [{ schemas: [PATCH], Operations: [{ op: 'replace', path: 'bogus', value: 'x' }] }, 400, 'invalidPath'],
      [{ schemas: [PATCH], Operations: [{ op: 'replace', path: 'applications', value: [] }] }, 400, 'mutability'],
      [{ schemas: [PATCH], Operations: [{ op: 'remove', path: 'name' }] }, 400, 'mutability'],
      [{ schemas: [PATCH], Operations: [{ op: 'remove' }] }, 400, 'noTarget'],
      [{ schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: 'False' }] }, 400, 'invalidValue'],
      [{ Operations: [{ op: 'replace', path: 'active', value: false }] }, 400, 'invalidSyntax'],
      [{ schemas: [PATCH], Operations: [] }, 400, 'invalidSyntax'],
    ];
    for (const [body, status, scimType] of cases) {
      const r = await s.request('PATCH', `/Agents/${a.body.id}`, body);
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.body.scimType, scimType, JSON.stringify(body) + ' ' + r.body.detail);
    }
  });

  it('PATCH of a Group adds and removes members', async () => {
    const bot = await s.request('POST', '/Agents', agent('group-bot'));
    const r = await s.request('PATCH', `/Groups/${teamId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'add', path: 'members', value: [{ value: bot.body.id }] }],
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.members.length, 3);
    const removed = await s.request('PATCH', `/Groups/${teamId}`, {
      schemas: [PATCH],
      Operations: [{ op: 'remove', path: `members[value eq "${bot.body.id}"]` }],
    });
    assert.equal(removed.body.members.length, 2);
    const bad = await s.request('PATCH', `/Groups/${teamId}`, { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: 'ghost' }] }] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.scimType, 'invalidValue');
  });

  it('If-Match: 412 on a stale version for PUT, PATCH and DELETE; * and the current version pass', async () => {
    const a = await s.request('POST', '/Agents', agent('etag-1'));
    const v1 = a.headers.get('etag')!;
    const p = await s.request(
      'PATCH',
      `/Agents/${a.body.id}`,
      { schemas: [PATCH], Operations: [{ op: 'replace', path: 'description', value: 'v2' }] },
      { 'If-Match': v1 },
    );
    assert.equal(p.status, 200);
    const stale = { 'If-Match': v1 };
    assert.equal(
      (await s.request('PATCH', `/Agents/${a.body.id}`, { schemas: [PATCH], Operations: [{ op: 'replace', path: 'description', value: 'v3' }] }, stale)).status,
      412,
    );
    assert.equal((await s.request('PUT', `/Agents/${a.body.id}`, agent('etag-1'), stale)).status, 412);
    const del412 = await s.request('DELETE', `/Agents/${a.body.id}`, undefined, stale);
    assert.equal(del412.status, 412);
    assert.equal(del412.body.status, '412');
    assert.equal((await s.request('PUT', `/Agents/${a.body.id}`, agent('etag-1'), { 'If-Match': '*' })).status, 200);
    const current = (await s.request('GET', `/Agents/${a.body.id}`)).headers.get('etag')!;
    assert.equal((await s.request('DELETE', `/Agents/${a.body.id}`, undefined, { 'If-Match': current })).status, 204);
  });

  it('deletes with 204, then 404; references to the deleted resource disappear', async () => {
    const bot = await s.request('POST', '/Agents', agent('delete-me'));
    const app = await s.request('POST', '/AgenticApplications', { schemas: [URN.agenticApplication], name: 'delete-app', agents: [{ value: bot.body.id }] });
    const r = await s.request('DELETE', `/Agents/${bot.body.id}`);
    assert.equal(r.status, 204);
    assert.equal((await s.request('GET', `/Agents/${bot.body.id}`)).status, 404);
    assert.equal((await s.request('DELETE', `/Agents/${bot.body.id}`)).status, 404);
    const appAfter = await s.request('GET', `/AgenticApplications/${app.body.id}`);
    assert.equal(appAfter.body.agents, undefined);
    assert.notEqual(appAfter.body.meta.version, app.body.meta.version);
  });
});

describe('sandbox: ETags off', () => {
  let s: TestSandbox;
  before(async () => {
    s = await withSandbox({ etag: false });
  });
  after(() => s.dispose());

  it('sends no ETag, advertises etag unsupported and ignores If-Match', async () => {
    const spc = await s.request('GET', '/ServiceProviderConfig');
    assert.equal(spc.body.etag.supported, false);
    const a = await s.request('POST', '/Agents', agent('no-etag'));
    assert.equal(a.headers.get('etag'), null);
    const r = await s.request('PUT', `/Agents/${a.body.id}`, agent('no-etag'), { 'If-Match': 'W/"stale"' });
    assert.equal(r.status, 200);
  });
});

describe('sandbox: malformed %-escapes in paths', () => {
  it('answer 400 invalidSyntax, in a request path and inside a Bulk operation path', async () => {
    const s = await withSandbox();
    try {
      for (const p of ['/Agents/%zz', '/Agents/%E2%82', '/Agents/abc%', '/%C0%AF']) {
        const r = await s.request('GET', p);
        assert.equal(r.status, 400, p);
        assert.equal(r.body.scimType, 'invalidSyntax', p);
      }
      const bulk = await s.request('POST', '/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          { method: 'DELETE', path: '/Agents/%zz' },
          { method: 'POST', path: '/Agents', bulkId: 'ok', data: agent('after-bad-escape') },
        ],
      });
      assert.equal(bulk.status, 200);
      assert.equal(bulk.body.Operations[0].status, '400');
      assert.equal(bulk.body.Operations[0].response.scimType, 'invalidSyntax');
      assert.equal(bulk.body.Operations[1].status, '201', 'the other operations still run');
    } finally {
      await s.dispose();
    }
  });
});
