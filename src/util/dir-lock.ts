import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function lockOwner(lockDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(`${lockDir}/pid`, 'utf8'), 10);
    return Number.isNaN(pid) ? undefined : pid;
  } catch {
    return undefined;
  }
}

/** Tries to take the lock: a directory holding our pid, renamed into place (fails when it is taken). */
async function tryTake(lockDir: string): Promise<boolean> {
  const mine = `${lockDir}.${process.pid}.${randomUUID()}`;
  await mkdir(mine);
  await writeFile(`${mine}/pid`, String(process.pid));
  try {
    await rename(mine, lockDir);
    return true;
  } catch (e) {
    await rm(mine, { recursive: true, force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Runs `fn` while holding a lock between processes of this machine: the directory `lockDir`,
 * holding the owner's pid, appears atomically (rename) and is removed afterwards. The lock of a
 * process that died is taken over. `onWait` is called once when another process holds the lock.
 */
export async function withDirLock<T>(lockDir: string, fn: () => Promise<T>, onWait?: (ownerPid: number) => void): Promise<T> {
  let waited = false;
  while (!(await tryTake(lockDir))) {
    const owner = await lockOwner(lockDir);
    if (owner === undefined || !isAlive(owner)) {
      // Left by a process that died: remove it and try again.
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (!waited) onWait?.(owner);
    waited = true;
    await sleep(2000);
  }
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
