import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { JOURNAL_FILE, Journal, SNAPSHOT_FILE, type PersistedState } from '../../server/src/sandbox/journal';
import { startSandbox } from '../../server/src/sandbox';
import { URN } from '../../server/src/schema/types';
import { scimRequest, suiteTempDirs, withSandbox } from '../helpers/sandbox';

const tempDir = suiteTempDirs();

describe('sandbox: persistence', () => {
  it('journal: back-to-back appends each resolve without waiting for a later write', async () => {
    const dataDir = await tempDir();
    const state: PersistedState = { seq: 0, resources: new Map() };
    const { journal } = await Journal.open(dataDir, () => state);
    // Nothing else keeps this test's event loop alive, so a hang shows up as a failed test.
    for (let seq = 1; seq <= 5; seq++) await journal.append([{ seq, changes: [{ type: 'Agent', id: `a${seq}`, resource: { id: `a${seq}` } }] }]);
    await journal.close();
    const lines = (await fs.readFile(path.join(dataDir, JOURNAL_FILE), 'utf8')).trim().split('\n');
    assert.deepEqual(
      lines.map((l) => JSON.parse(l).seq),
      [1, 2, 3, 4, 5],
    );
  });

  it('keeps data, versions and the token across a restart', async () => {
    const dataDir = await tempDir();
    const first = await withSandbox({ dataDir });
    assert.equal(first.tokenCreated, true);
    assert.ok(first.seeded > 0);
    const mode = (await fs.stat(path.join(dataDir, 'token'))).mode & 0o777;
    assert.equal(mode, 0o600);
    const a = await first.request('POST', '/Agents', { schemas: [URN.agent], name: 'survivor' });
    const p = await first.request('PATCH', `/Agents/${a.body.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'description', value: 'patched' }],
    });
    const gone = await first.request('POST', '/Agents', { schemas: [URN.agent], name: 'gone' });
    await first.request('DELETE', `/Agents/${gone.body.id}`);
    await first.close();

    const second = await withSandbox({ dataDir });
    try {
      assert.equal(second.token, first.token);
      assert.equal(second.tokenCreated, false);
      assert.equal(second.seeded, 0, 'the seed runs only on a new data directory');
      const r = await second.request('GET', `/Agents/${a.body.id}`);
      assert.equal(r.status, 200);
      assert.equal(r.body.description, 'patched');
      assert.equal(r.headers.get('etag'), p.headers.get('etag'));
      assert.equal((await second.request('GET', `/Agents/${gone.body.id}`)).status, 404);
      assert.equal((await second.request('GET', '/Users')).body.totalResults, 3);
      const next = await second.request('POST', '/Agents', { schemas: [URN.agent], name: 'after-restart' });
      assert.notEqual(next.body.meta.version, p.body.meta.version, 'versions keep increasing after a restart');
    } finally {
      await second.close();
    }
  });

  it('compacts the journal into a snapshot and loads it back', async () => {
    const dataDir = await tempDir();
    const s = await withSandbox({ dataDir, compactBytes: 4096 });
    for (let i = 0; i < 30; i++)
      assert.equal((await s.request('POST', '/Agents', { schemas: [URN.agent], name: `compact-${i}`, description: 'x'.repeat(100) })).status, 201);
    await s.close();
    const snapshot = JSON.parse(await fs.readFile(path.join(dataDir, SNAPSHOT_FILE), 'utf8'));
    assert.ok(snapshot.resources.Agent.length > 0);
    assert.ok((await fs.stat(path.join(dataDir, JOURNAL_FILE))).size < 4096 + 1024);
    const again = await withSandbox({ dataDir, compactBytes: 4096 });
    try {
      assert.equal((await again.request('GET', '/Agents?filter=name%20sw%20%22compact-%22')).body.totalResults, 30);
    } finally {
      await again.close();
    }
  });

  it('cuts off a torn last journal line and refuses a damaged one in the middle', async () => {
    const dataDir = await tempDir();
    const s = await withSandbox({ dataDir });
    await s.request('POST', '/Agents', { schemas: [URN.agent], name: 'before-tear' });
    await s.close();
    const journal = path.join(dataDir, JOURNAL_FILE);
    const intact = (await fs.stat(journal)).size;
    await fs.appendFile(journal, '{"seq":999,"changes":[{"type":"Agent","id":"x","resou');
    const logged: string[] = [];
    const repaired = await withSandbox({ dataDir, logger: (l) => logged.push(l) });
    assert.match(repaired.notes.join('\n'), /incomplete line .* cut off at byte \d+/);
    assert.ok(
      logged.some((l) => /incomplete line/.test(l)),
      'the repair is logged',
    );
    assert.equal((await repaired.request('GET', '/Agents?filter=name%20eq%20%22before-tear%22')).body.totalResults, 1);
    await repaired.close();
    assert.equal((await fs.stat(journal)).size, intact);

    await fs.appendFile(journal, 'garbage\n{"seq":1000,"changes":[]}\n');
    await assert.rejects(
      startSandbox({ dataDir, port: 0 }),
      /damaged at byte \d+ \(line \d+: a complete line, so not an interrupted write\); refusing to start/,
    );
  });

  it('never loses an acknowledged write, nor one a reader saw, when the process is SIGKILLed mid-burst', async () => {
    const dataDir = await tempDir();
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'helpers', 'sandbox-child.js'), dataDir], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, SANDBOX_COMPACT_BYTES: '16384' },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const { baseUrl, token } = await new Promise<{ baseUrl: string; token: string }>((resolve, reject) => {
        let buf = '';
        const timer = setTimeout(() => reject(new Error('the child sandbox did not start within 15 s')), 15_000);
        child.stdout!.on('data', (c: Buffer) => {
          buf += c.toString('utf8');
          const nl = buf.indexOf('\n');
          if (nl !== -1) {
            clearTimeout(timer);
            resolve(JSON.parse(buf.slice(0, nl)));
          }
        });
        child.once('exit', (code) => reject(new Error(`the child sandbox exited with ${code}`)));
      });

      const acknowledged: string[] = [];
      const patched = new Map<string, string>();
      const KILL_AFTER = 150;
      let killed = false;
      const worker = async (w: number) => {
        for (let i = 0; !killed; i++) {
          const name = `crash-${w}-${i}`;
          try {
            const r = await scimRequest(baseUrl, token, 'POST', '/Agents', { schemas: [URN.agent], name, description: 'y'.repeat(200) });
            if (r.status !== 201) throw new Error(`unexpected ${r.status}`);
            acknowledged.push(name);
            const p = await scimRequest(baseUrl, token, 'PATCH', `/Agents/${r.body.id}`, {
              schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
              Operations: [{ op: 'replace', path: 'description', value: `patched-${i}` }],
            });
            if (p.status === 200) patched.set(name, `patched-${i}`);
          } catch (e) {
            if (killed) return;
            throw e;
          }
          if (acknowledged.length >= KILL_AFTER && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      };
      // Readers list what is there while the writers run: whatever they saw must have been
      // durable, so it must survive the kill too.
      const seen = new Set<string>();
      const reader = async () => {
        while (!killed) {
          try {
            const r = await scimRequest(baseUrl, token, 'GET', '/Agents?filter=name%20sw%20%22crash-%22&count=100000&attributes=name');
            if (r.status === 200) for (const a of r.body.Resources as { name: string }[]) seen.add(a.name);
          } catch (e) {
            if (killed) return;
            throw e;
          }
        }
      };
      await Promise.all([...Array.from({ length: 8 }, (_, w) => worker(w)), reader(), reader()]);
      await exited;
      assert.ok(acknowledged.length >= KILL_AFTER);

      const restarted = await withSandbox({ dataDir, maxResults: 100_000 });
      try {
        assert.equal(restarted.token, token);
        const list = await restarted.request('GET', '/Agents?filter=name%20sw%20%22crash-%22&count=100000');
        const stored = new Map<string, string>(list.body.Resources.map((a: { name: string; description: string }) => [a.name, a.description]));
        const missing = acknowledged.filter((n) => !stored.has(n));
        assert.deepEqual(missing, [], 'every 201 survived');
        assert.ok(seen.size > 0);
        assert.deepEqual(
          [...seen].filter((n) => !stored.has(n)),
          [],
          'everything a reader saw survived',
        );
        for (const [name, description] of patched) assert.equal(stored.get(name), description, `${name}'s acknowledged PATCH survived`);
      } finally {
        await restarted.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
  });
});

describe('sandbox: seeding, binding, tokens and logging', () => {
  it('seeds from a YAML file with bulkId references in any order', async () => {
    const dataDir = await tempDir();
    const seedFile = path.join(dataDir, 'seed.yaml');
    await fs.writeFile(
      seedFile,
      [
        'Agents:',
        '  - bulkId: bot',
        '    name: seeded-bot',
        '    owners: [{ value: "bulkId:dana" }]',
        'User:',
        '  - bulkId: dana',
        '    userName: dana',
        'AgenticApplication:',
        '  - name: seeded-app',
        '    agents: [{ value: "bulkId:bot", type: owned }]',
        '',
      ].join('\n'),
    );
    const s = await withSandbox({ dataDir, seedFile });
    try {
      assert.equal(s.seeded, 3);
      const bot = (await s.request('GET', '/Agents')).body.Resources[0];
      assert.equal(bot.owners[0].display, 'dana');
      assert.equal(bot.applications[0].display, 'seeded-app');
      assert.equal((await s.request('GET', '/Users')).body.totalResults, 1);
    } finally {
      await s.close();
    }
  });

  it('refuses an invalid seed without writing anything', async () => {
    const dataDir = await tempDir();
    const seedFile = path.join(dataDir, 'bad.json');
    await fs.writeFile(seedFile, JSON.stringify({ Agent: [{ name: 'ok' }, { description: 'no name' }] }));
    await assert.rejects(startSandbox({ dataDir, seedFile, port: 0 }), /refused/);
    const s = await withSandbox({ dataDir });
    try {
      assert.ok(s.seeded > 0, 'the next start still sees a new data directory');
      assert.equal((await s.request('GET', '/Agents')).body.totalResults, 0);
    } finally {
      await s.close();
    }
  });

  it('refuses a non-loopback host unless allowed', async () => {
    const dataDir = await tempDir();
    await assert.rejects(startSandbox({ dataDir, host: '0.0.0.0', port: 0 }), /loopback/);
  });

  it('uses a given token without storing it', async () => {
    const dataDir = await tempDir();
    const s = await withSandbox({ dataDir, token: 'given-token-0123456789' });
    try {
      assert.equal(s.tokenFile, undefined);
      await assert.rejects(fs.stat(path.join(dataDir, 'token')));
      assert.equal((await s.request('GET', '/Users')).status, 200);
    } finally {
      await s.close();
    }
  });

  it('logs method, path, status and duration, never the token', async () => {
    const lines: string[] = [];
    const s = await withSandbox({ logger: (l) => lines.push(l) });
    try {
      await s.request('GET', '/Users?count=1');
      await s.request('GET', `/Users?access_token=${s.token}`);
      await fetch(`${s.baseUrl}/Users`, { headers: { Authorization: 'Bearer wrong-but-secret' } });
    } finally {
      await s.dispose();
    }
    assert.match(lines[0], /^GET \/scim\/v2\/Users\?count=1 200 \d+(\.\d+)?ms$/);
    assert.match(lines[2], / 401 /);
    const all = lines.join('\n');
    assert.ok(!all.includes(s.token), 'token in the log');
    assert.ok(!all.includes('wrong-but-secret'));
  });
});
