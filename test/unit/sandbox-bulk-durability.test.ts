import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { JOURNAL_FILE } from '../../server/src/sandbox/journal';
import { buildModel } from '../../server/src/sandbox/model';
import { Store } from '../../server/src/sandbox/store';
import { getProfile } from '../../server/src/schema/profiles';
import { URN } from '../../server/src/schema/types';
import { makeTempDir, withSandbox } from '../helpers/sandbox';

/** A data directory removed when the test ends. */
async function tempDir(t: TestContext): Promise<string> {
  const dir = await makeTempDir();
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

const journalSeqs = async (dir: string) =>
  (await fs.readFile(path.join(dir, JOURNAL_FILE), 'utf8'))
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).seq as number);

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

const model = buildModel(getProfile('abbey-00'));
const put = (id: string) => [{ type: 'Agent', id, resource: { id, name: id } }];

describe('sandbox: write staging and durability', () => {
  it('a write sees its own staged changes; others see them only once they are in the journal', async (t) => {
    const dir = await tempDir(t);
    const store = await Store.open(dir, model);
    let go!: () => void;
    const gate = new Promise<void>((resolve) => (go = resolve));
    let staged!: () => void;
    const stagedSignal = new Promise<void>((resolve) => (staged = resolve));
    const writing = store.write(async () => {
      for (let i = 0; i < 50; i++) store.stage(put(`a${i}`));
      assert.ok(store.get('Agent', 'a49'), 'the write sees what it staged');
      staged();
      await gate;
    });
    await stagedSignal;
    // Outside the write, like another HTTP request: nothing staged is visible yet.
    assert.equal(store.get('Agent', 'a0'), undefined);
    assert.equal(store.all('Agent').length, 0);
    go();
    await writing;
    assert.deepEqual(
      await journalSeqs(dir),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    assert.equal(store.all('Agent').length, 50);
    await store.close();
  });

  it('writes run one after another: the second one checks against the first one durable', async (t) => {
    const dir = await tempDir(t);
    const store = await Store.open(dir, model);
    const seen: number[] = [];
    await Promise.all(
      [0, 1, 2].map((i) =>
        store.write(async () => {
          seen.push(store.all('Agent').length);
          store.stage(put(`w${i}`));
        }),
      ),
    );
    assert.deepEqual(seen, [0, 1, 2]);
    await store.close();
  });

  it('a write whose work fails leaves nothing behind, in memory or on disk', async (t) => {
    const dir = await tempDir(t);
    const store = await Store.open(dir, model);
    await assert.rejects(
      store.write(async () => {
        store.stage(put('dropped'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(store.get('Agent', 'dropped'), undefined);
    assert.equal((await fs.stat(path.join(dir, JOURNAL_FILE))).size, 0);
    await store.close();
  });

  it('a refused journal append (ENOSPC after a partial write) answers 507, keeps memory and file as they were, and the next write works', async (t) => {
    const dir = await tempDir(t);
    let fail = false;
    const store = await Store.open(dir, model, {
      write: async (handle, data, offset, length) => {
        if (!fail) return (await handle.write(data, offset, length)).bytesWritten;
        // A nearly full disk: part of the line lands, then the rest is refused.
        await handle.write(data, offset, Math.min(length, 7));
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    });
    await store.write(async () => store.stage(put('kept')));
    const size = (await fs.stat(path.join(dir, JOURNAL_FILE))).size;
    fail = true;
    await assert.rejects(
      store.write(async () => store.stage(put('lost'))),
      (e: { status?: number; message: string }) => e.status === 507 && /disk is full/.test(e.message),
    );
    assert.equal(store.get('Agent', 'lost'), undefined, 'memory does not keep the refused change');
    assert.equal((await fs.stat(path.join(dir, JOURNAL_FILE))).size, size, 'the torn part was cut off');
    fail = false;
    await store.write(async () => store.stage(put('after')));
    await store.close();
    const again = await Store.open(dir, model);
    assert.deepEqual(
      again.all('Agent').map((r) => r.id),
      ['kept', 'after'],
    );
    await again.close();
  });

  it('a Bulk request of 200 creates costs a handful of fsyncs, not one per operation, and survives a restart', async (t) => {
    const dataDir = await tempDir(t);
    const s = await withSandbox({ dataDir });
    const Operations = Array.from({ length: 200 }, (_, i) => ({
      method: 'POST',
      path: '/Agents',
      bulkId: `b${i}`,
      data: { schemas: [URN.agent], name: `durable-${i}` },
    }));
    let status = 0;
    let created = 0;
    let fsyncs: number;
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
