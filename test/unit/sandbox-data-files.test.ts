// A sandbox data folder can come with a cloned repository: its journal and snapshot are read
// only as regular files and only up to a cap, so a link to /dev/zero or a FIFO stops the start
// with a message and the data untouched, instead of reading without end.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { JOURNAL_FILE, Journal, SNAPSHOT_FILE, type PersistedState } from '../../server/src/sandbox/journal';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scim-sandbox-data-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

function dataDir(name: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  return dir;
}

const state = () => ({}) as unknown as PersistedState;

describe('sandbox data files', () => {
  for (const file of [JOURNAL_FILE, SNAPSHOT_FILE]) {
    it(`${file} linked to /dev/zero: refused at once, not read`, async () => {
      const dir = dataDir(`zero-${file}`);
      fs.symlinkSync('/dev/zero', path.join(dir, file));
      await assert.rejects(Journal.open(dir, state), /not a regular file/);
      assert.equal(fs.readlinkSync(path.join(dir, file)), '/dev/zero', 'left as it was');
    });

    it(`${file} as a FIFO: refused, no hang`, async () => {
      const dir = dataDir(`fifo-${file}`);
      execFileSync('mkfifo', [path.join(dir, file)]);
      await assert.rejects(Journal.open(dir, state), /not a regular file/);
    });
  }

  it('a journal larger than the cap is refused and left as it is', async () => {
    const dir = dataDir('huge');
    const journal = path.join(dir, JOURNAL_FILE);
    const fd = fs.openSync(journal, 'w');
    fs.ftruncateSync(fd, 1024 * 1024 * 1024 + 1); // sparse: no disk used
    fs.closeSync(fd);
    await assert.rejects(Journal.open(dir, state), /more than 1073741824 bytes/);
    assert.equal(fs.statSync(journal).size, 1024 * 1024 * 1024 + 1);
  });
});
