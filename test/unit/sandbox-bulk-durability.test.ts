import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { JOURNAL_FILE } from '../../server/src/sandbox/journal';
import { Store } from '../../server/src/sandbox/store';
import { URN } from '../../server/src/schema/types';
import { makeTempDir, withSandbox } from '../helpers/sandbox';

/** A data directory removed when the test ends. */
async function tempDir(t: TestContext): Promise<string> {
  const dir = await makeTempDir();
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const journalSeqs = async (dir: string) =>
  (await fs.readFile(path.join(dir, JOURNAL_FILE), 'utf8')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l).seq as number);

/** Counts fdatasync calls on every FileHandle while `work` runs. */
async function countDatasyncs(dir: string, work: () => Promise<void>): Promise<number> {
  const probe = await fs.open(path.join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  const original = proto.datasync;
  let calls = 0;
  proto.datasync = function (this: unknown) {
    calls++;
    return original.call(this);
  };
  try {
    await work();
  } finally {
    proto.datasync = original;
  }
  return calls;
}

const put = (id: string) => [{ type: 'Agent', id, resource: { id } }];

describe('sandbox: Bulk durability', () => {
  it('deferDurability resolves only once every commit made inside it is in the journal, in order', async (t) => {
    const dir = await tempDir(t);
    const store = await Store.open(dir);
    let inside = 0;
    await store.deferDurability(async () => {
      for (let i = 0; i < 50; i++) {
        await store.commit(put(`a${i}`));
        inside++;
        assert.ok(store.get('Agent', `a${i}`), 'applied to memory at once');
      }
    });
    assert.equal(inside, 50);
    // Read before close(): close() would wait for any flush still running and hide a missing wait.
    assert.deepEqual(await journalSeqs(dir), Array.from({ length: 50 }, (_, i) => i + 1));
    await store.close();
  });

  it('a commit outside the scope, made while it runs, still waits for its own durability', async (t) => {
    const dir = await tempDir(t);
    const store = await Store.open(dir);
    // Started outside the scope, like another HTTP request, and let go from inside it.
    let go!: () => void;
    const gate = new Promise<void>((resolve) => (go = resolve));
    const outside = (async () => {
      await gate;
      await store.commit(put('out'));
      assert.ok((await journalSeqs(dir)).includes(3), 'the outside commit (seq 3) is on disk when it resolves');
    })();
    await store.deferDurability(async () => {
      await store.commit(put('in-1'));
      go();
      await store.commit(put('in-2'));
    });
    await outside;
    await store.close();
  });

  it('still waits for the commits made before work failed, then rethrows', async (t) => {
    const dir = await tempDir(t);
    const store = await Store.open(dir);
    await assert.rejects(
      store.deferDurability(async () => {
        await store.commit(put('kept'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(await journalSeqs(dir), [1]);
    await store.close();
  });

  it('a Bulk request of 200 creates costs a handful of fsyncs, not one per operation, and survives a restart', async (t) => {
    const dataDir = await tempDir(t);
    const s = await withSandbox({ dataDir });
    const Operations = Array.from({ length: 200 }, (_, i) => ({ method: 'POST', path: '/Agents', bulkId: `b${i}`, data: { schemas: [URN.agent], name: `durable-${i}` } }));
    let status = 0;
    let created = 0;
    let fsyncs = 0;
    try {
      fsyncs = await countDatasyncs(dataDir, async () => {
        const r = await s.request('POST', '/Bulk', { schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'], Operations });
        status = r.status;
        created = r.body.Operations.filter((o: { status: string }) => o.status === '201').length;
      });
    } finally {
      await s.close();
    }
    assert.equal(status, 200);
    assert.equal(created, 200);
    assert.ok(fsyncs >= 1 && fsyncs <= 10, `${fsyncs} fdatasync calls for 200 operations`);
    const again = await withSandbox({ dataDir });
    try {
      const list = await again.request('GET', `/Agents?filter=${encodeURIComponent('name sw "durable-"')}&count=1`);
      assert.equal(list.body.totalResults, 200);
    } finally {
      await again.close();
    }
  });
});
