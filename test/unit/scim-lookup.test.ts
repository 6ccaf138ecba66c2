// Batched lookups degrade to one `eq` per value only when the server rejects `or` itself, not
// when a filter fails because of the attribute it names (an unknown attribute is 400 invalidFilter too).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { URN } from '../../server/src/schema/types';
import { ScimClient, isScimError, type ScimLogEntry } from '../../server/src/scim';
import { startPeer, type RunningPeer } from '../helpers/peers';
import { withSandbox, type TestSandbox } from '../helpers/sandbox';

function loggedClient(baseUrl: string, token: string): { client: ScimClient; responses: (since: number) => ScimLogEntry[]; mark: () => number } {
  const logs: ScimLogEntry[] = [];
  const client = new ScimClient({ baseUrl, auth: { kind: 'bearer', token }, timeoutMs: 10_000, logger: (e) => logs.push(e) });
  return {
    client,
    mark: () => logs.length,
    responses: (since) => logs.slice(since).filter((e) => e.event === 'response' || e.event === 'failure'),
  };
}

const isInvalidFilter = (e: unknown) => isScimError(e) && e.status === 400;

describe('findManyByAttribute against the sandbox (or-filters supported)', () => {
  let sandbox: TestSandbox;
  before(async () => {
    sandbox = await withSandbox();
    for (const n of ['a', 'b', 'c']) {
      const res = await sandbox.request('POST', '/Users', { schemas: [URN.user], userName: `lookup-${n}`, externalId: `lk-${n}` });
      assert.equal(res.status, 201);
    }
  });
  after(() => sandbox.dispose());

  test('an unknown attribute fails the lookup without marking the server as or-rejecting', async () => {
    const { client, mark, responses } = loggedClient(sandbox.baseUrl, sandbox.token);
    const m0 = mark();
    await assert.rejects(client.findManyByAttribute('/Users', 'noSuchAttribute', ['x', 'y']), isInvalidFilter);
    const failed = responses(m0);
    assert.equal(failed[0]!.status, 400, 'the or-filter was rejected');
    assert.equal(failed.length, 2, 'one eq probe on the same attribute, then the error propagated');

    const m1 = mark();
    const found = await client.findManyByAttribute('/Users', 'externalId', ['lk-a', 'lk-b', 'lk-c', 'lk-none']);
    const after = responses(m1);
    assert.equal(after.length, 1, 'the next batched lookup is still one or-filter request');
    assert.equal(after[0]!.status, 200);
    assert.deepEqual(
      ['lk-a', 'lk-b', 'lk-c'].map((k) => found.get(k)![0]!.userName),
      ['lookup-a', 'lookup-b', 'lookup-c'],
    );
    assert.equal(found.get('lk-none')!.length, 0);
  });
});

describe('findManyByAttribute against better-auth (eq-only filters)', () => {
  let peer: RunningPeer;
  before(async () => {
    peer = await startPeer('better-auth');
    const { client } = loggedClient(peer.baseUrl, peer.token);
    for (const n of ['p', 'q', 'r']) await client.create('/Users', { schemas: [URN.user], userName: `${n}@lookup.example`, externalId: `bl-${n}` });
  });
  after(() => peer.stop());

  test('an unknown-attribute failure first, then the real or-rejection degrades to one eq per value', async () => {
    const { client, mark, responses } = loggedClient(peer.baseUrl, peer.token);
    const m0 = mark();
    await assert.rejects(client.findManyByAttribute('/Users', 'noSuchAttribute', ['x', 'y']), isInvalidFilter);
    assert.ok(responses(m0).length >= 1);

    const m1 = mark();
    const found = await client.findManyByAttribute('/Users', 'externalId', ['bl-p', 'bl-q', 'bl-r']);
    const first = responses(m1);
    assert.equal(first[0]!.status, 400, 'the or-filter is tried again: the earlier failure did not mark the server');
    assert.equal(first.length, 1 + 3, 'then one eq per value (the first doubling as the probe)');
    assert.deepEqual(
      ['bl-p', 'bl-q', 'bl-r'].map((k) => found.get(k)![0]!.userName),
      ['p@lookup.example', 'q@lookup.example', 'r@lookup.example'],
    );

    const m2 = mark();
    await client.findManyByAttribute('/Users', 'externalId', ['bl-p', 'bl-q']);
    const second = responses(m2);
    assert.equal(second.length, 2, 'now known to reject or: no or-filter is sent');
    assert.ok(second.every((r) => r.status === 200));
  });
});
