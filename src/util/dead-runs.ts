/**
 * What a kpkg run that was killed (SIGKILL, a power cut) leaves behind — its temporary directory, its
 * staging directory in --out — is named `<prefix><pid>-…`; the next run removes those whose process
 * no longer exists.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the entries of `dir` named `<prefix><pid>-…` whose pid is not a live process (nor this one). */
export async function removeLeftoversOfDeadRuns(dir: string, prefix: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = /^(\d+)-/.exec(name.slice(prefix.length))?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !processExists(Number(pid)))
      await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}
