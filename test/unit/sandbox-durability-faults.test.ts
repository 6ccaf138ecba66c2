// The sandbox never acknowledges a write it could lose, under real faults: a file-size limit
// (`ulimit -f`, a real short write then EFBIG), a full disk (a small tmpfs; ENOSPC injected in
// front of the real write where the machine cannot mount one), a second server on the same
// data directory, and a write held in the journal while others read and write.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { JOURNAL_FILE, type JournalWrite } from '../../server/src/sandbox/journal';
import { LOCK_FILE } from '../../server/src/sandbox/lock';
import { URN } from '../../server/src/schema/types';
import { scimRequest, suiteTempDirs, withSandbox, type TestSandbox } from '../helpers/sandbox';
import { startServe } from '../helpers/serve-process';

const tempDir = suiteTempDirs();

type Send = (method: string, p: string, body?: unknown) => Promise<{ status: number; body: any }>;

const agent = (name: string) => ({ schemas: [URN.agent], name, description: 'd'.repeat(900) });
const byName = (name: string) => `/Agents?filter=${encodeURIComponent(`name eq "${name}"`)}`;

/**
 * Creates agents until the server has refused several in a row. Returns what was acknowledged
 * and what was refused; checks on the way that a refusal is a 5xx SCIM error and that a refused
 * agent is not visible.
 */
async function fillUntilRefused(send: Send, prefix: string): Promise<{ acked: string[]; refused: string[]; statuses: Set<number>; details: string[] }> {
  const acked: string[] = [];
  const refused: string[] = [];
  const statuses = new Set<number>();
  const details: string[] = [];
  for (let i = 0; refused.length < 5 && i < 2000; i++) {
    const name = `${prefix}-${i}`;
    const r = await send('POST', '/Agents', agent(name));
    if (r.status === 201) acked.push(name);
    else {
      statuses.add(r.status);
      details.push(String(r.body?.detail));
      assert.ok(r.status >= 500, `a refused write is a 5xx, not ${r.status}`);
      assert.deepEqual(r.body.schemas, [URN.error]);
      refused.push(name);
      assert.equal((await send('GET', byName(name))).body.totalResults, 0, `${name} was refused but is visible`);
    }
  }
  return { acked, refused, statuses, details };
}

/** Every line of the journal is whole JSON: a refused write left nothing torn behind. */
async function assertJournalWhole(dataDir: string): Promise<void> {
  const text = await fs.readFile(path.join(dataDir, JOURNAL_FILE), 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'the journal ends with a whole line');
  for (const line of text.split('\n').filter(Boolean)) JSON.parse(line);
}

/** After a restart: every acknowledged agent is there, no refused one is. */
async function assertSurvivors(s: TestSandbox, acked: string[], refused: string[]): Promise<void> {
  const list = await s.request('GET', `/Agents?count=100000`);
  const names = new Set<string>(list.body.Resources.map((a: { name: string }) => a.name));
  assert.deepEqual(
    acked.filter((n) => !names.has(n)),
    [],
    'acknowledged writes lost',
  );
  assert.deepEqual(
    refused.filter((n) => names.has(n)),
    [],
    'refused writes present',
  );
}

function tryMountTmpfs(dir: string, size: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('sandbox: durability under real faults', () => {
  it('under `ulimit -f`: writes past the limit are answered 507, none acknowledged is lost, the journal stays whole', async () => {
    const dataDir = await tempDir();
    const serve = await startServe(dataDir, { fileSizeBlocks: 40 });
    let result: Awaited<ReturnType<typeof fillUntilRefused>>;
    try {
      const send: Send = (m, p, b) => scimRequest(serve.baseUrl, serve.token, m, p, b);
      result = await fillUntilRefused(send, 'ulimit');
      assert.ok(result.acked.length > 10, `${result.acked.length} acknowledged before the limit`);
      assert.deepEqual([...result.statuses], [507]);
      assert.match(result.details[0], /file-size limit \(EFBIG\)\. Nothing was changed/);
      // Reads still work, and a smaller write that fits is still accepted.
      assert.equal((await send('GET', '/Users')).status, 200);
    } finally {
      await serve.kill();
    }
    await assertJournalWhole(dataDir);
    const again = await withSandbox({ dataDir, maxResults: 100_000 });
    try {
      await assertSurvivors(again, result.acked, result.refused);
    } finally {
      await again.close();
    }
  });

  it('on a full disk (tmpfs, or ENOSPC injected in front of the real write): 507, nothing torn, restart works', async (t) => {
    const dataDir = await tempDir();
    const mounted = tryMountTmpfs(dataDir, '256k');
    t.diagnostic(mounted ? 'a real full disk: tmpfs of 256 KB' : 'mount refused here: ENOSPC injected after a partial real write');
    let journalWrite: JournalWrite | undefined;
    if (!mounted) {
      // No tmpfs here: a disk that fills after 160 KB of journal, partial write first.
      let budget = 160 * 1024;
      journalWrite = async (handle, data, offset, length) => {
        const n = Math.min(length, budget);
        if (n > 0) budget -= (await handle.write(data, offset, n)).bytesWritten;
        if (n < length) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
        return n;
      };
    }
    try {
      // Room to free afterwards, as an operator would.
      const ballast = path.join(dataDir, 'ballast');
      if (mounted) await fs.writeFile(ballast, Buffer.alloc(48 * 1024));
      const s = await withSandbox({ dataDir, journalWrite, maxResults: 100_000 });
      let result: Awaited<ReturnType<typeof fillUntilRefused>>;
      try {
        result = await fillUntilRefused((m, p, b) => s.request(m, p, b), 'full');
        assert.ok(result.acked.length > 10, `${result.acked.length} acknowledged before the disk filled`);
        assert.deepEqual([...result.statuses], [507]);
        assert.match(result.details[0], /disk is full \(ENOSPC\)\. Nothing was changed/);
        // A PATCH and a DELETE are refused the same way, and leave the resource as it was.
        const first = (await s.request('GET', byName(result.acked[0]))).body.Resources[0];
        const patch = await s.request('PATCH', `/Agents/${first.id}`, {
          schemas: [URN.patchOp],
          Operations: [{ op: 'replace', path: 'description', value: 'x'.repeat(3000) }],
        });
        assert.equal(patch.status, 507);
        assert.equal((await s.request('GET', `/Agents/${first.id}`)).body.description, first.description);
      } finally {
        await s.close();
      }
      await assertJournalWhole(dataDir);
      if (mounted) await fs.rm(ballast);
      const again = await withSandbox({ dataDir, maxResults: 100_000 });
      try {
        await assertSurvivors(again, result.acked, result.refused);
      } finally {
        await again.close();
      }
    } finally {
      if (mounted) execFileSync('umount', [dataDir]);
    }
  });

  it('a write waiting for its fsync is invisible to readers and blocks no one with a 409 it might not deserve', async () => {
    // The fault sits in front of the real fdatasync of every FileHandle: the next call waits
    // for the test's decision, then fails with EIO or goes through.
    const probe = await fs.open(path.join(await tempDir(), 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const original = proto.datasync;
    let holdNext = false;
    let entered!: () => void;
    let decide!: (fail: boolean) => void;
    proto.datasync = async function (this: unknown) {
      if (holdNext) {
        holdNext = false;
        const decision = new Promise<boolean>((resolve) => (decide = resolve));
        entered();
        if (await decision) throw Object.assign(new Error('i/o error'), { code: 'EIO' });
      }
      return original.call(this);
    };
    const s = await withSandbox();
    try {
      holdNext = true;
      const inJournal = new Promise<void>((resolve) => (entered = resolve));
      const first = s.request('POST', '/Agents', agent('contested'));
      await inJournal;
      // The create is written, not yet durable: nobody sees it.
      assert.equal((await s.request('GET', byName('contested'))).body.totalResults, 0);
      // A second create of the same name waits for the first rather than answering 409 now.
      const second = s.request('POST', '/Agents', agent('contested'));
      let secondAnswered = false;
      void second.then(() => (secondAnswered = true));
      // Round trips on other connections let the server take in the second request meanwhile.
      for (let i = 0; i < 3; i++) assert.equal((await s.request('GET', byName('contested'))).body.totalResults, 0);
      assert.equal(secondAnswered, false, 'the second create was answered while the first was not yet durable');
      decide(true); // the fsync fails: the first create is not durable
      assert.equal((await first).status, 503);
      assert.equal((await second).status, 201, 'the second create was not refused against a row that never became durable');
      assert.equal((await s.request('GET', byName('contested'))).body.totalResults, 1);
    } finally {
      proto.datasync = original;
      await s.dispose();
    }
  });

  it('refuses a second serve on the same data directory, and takes over the lock of a killed one', async () => {
    const dataDir = await tempDir();
    const first = await startServe(dataDir);
    try {
      const refused = await startServe(dataDir).then(
        async (p) => {
          await p.kill();
          return undefined;
        },
        (e: { code?: number; output?: string }) => e,
      );
      assert.ok(refused, 'a second serve started on the same data directory');
      assert.equal(refused.code, 1);
      assert.match(refused.output ?? '', new RegExp(`in use by another sandbox \\(pid ${first.child.pid}\\)`));
      assert.equal((await scimRequest(first.baseUrl, first.token, 'POST', '/Agents', agent('still-mine'))).status, 201);
    } finally {
      await first.kill();
    }
    // SIGKILL left the lock file behind; its pid is gone, so the next start takes it over.
    assert.ok(await fs.stat(path.join(dataDir, LOCK_FILE)));
    const again = await withSandbox({ dataDir });
    try {
      assert.equal((await again.request('GET', byName('still-mine'))).body.totalResults, 1);
      // In-process too: a second start while this one runs is refused.
      await assert.rejects(withSandbox({ dataDir }), /in use by another sandbox/);
    } finally {
      await again.close();
    }
    await assert.rejects(fs.stat(path.join(dataDir, LOCK_FILE)), 'the lock is released on close');
  });
});
