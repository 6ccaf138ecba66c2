/**
 * One sandbox per data directory. Two processes appending to one journal, each with its own
 * picture of the state, lose each other's acknowledged writes (and the second one's start
 * "repairs" the first one's line in flight), so the second start is refused.
 *
 * The lock is a file created with O_EXCL holding the owner's pid. A lock whose pid no longer
 * runs is stale (a crash or SIGKILL leaves it) and is taken over. A pid reused by an unrelated
 * process makes the lock look held: the message names the pid and the file, so a person can
 * check and remove it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'lock';

export interface DataLock {
  release(): Promise<void>;
}

export async function lockDataDir(dataDir: string): Promise<DataLock> {
  const file = path.join(dataDir, LOCK_FILE);
  // Written aside, then linked into place: the lock file never exists without its pid.
  const tmp = path.join(dataDir, `${LOCK_FILE}.${process.pid}.tmp`);
  const h = await fs.open(tmp, 'w', 0o600);
  try {
    await h.writeFile(`${process.pid}\n`, 'utf8');
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fs.link(tmp, file);
        return { release: () => fs.rm(file, { force: true }) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const pid = await readPid(file);
      if (attempt > 0 || pid === undefined || isRunning(pid)) throw inUse(dataDir, file, pid);
      // Stale: its owner is gone (a crash or SIGKILL leaves the file behind).
      await fs.rm(file, { force: true });
    }
    throw inUse(dataDir, file, undefined);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

function inUse(dataDir: string, file: string, pid: number | undefined): Error {
  return new Error(
    `The data directory ${dataDir} is in use by another sandbox${pid !== undefined ? ` (pid ${pid})` : ''}; ` +
      `stop that one first or use another --data directory. If no sandbox runs there, remove ${file}.`,
  );
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const n = Number((await fs.readFile(file, 'utf8')).trim());
    return Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
