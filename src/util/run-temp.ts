/**
 * One temporary directory per kpkg run, under the system's (TMPDIR, else /tmp), which becomes
 * TMPDIR for the rest of the run: every scratch directory kpkg makes (os.tmpdir()) and every
 * temporary file of the tools it runs (make, gcc, dpkg-deb, mmdebstrap) lands inside it, so an
 * interrupt removes all of them at once, and nothing else in /tmp is touched. A run killed
 * with SIGKILL leaves its directory; the next run removes those whose process is gone.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeLeftoversOfDeadRuns } from './dead-runs.js';
import { onInterrupt } from './interrupt.js';

const PREFIX = 'kpkg-run-';

export interface RunTempDir {
  path: string;
  /** Removes the directory and restores TMPDIR. */
  dispose(): Promise<void>;
}

/** Creates this run's temporary directory and points TMPDIR at it. */
export async function useRunTempDir(): Promise<RunTempDir> {
  const parent = tmpdir();
  const previous = process.env.TMPDIR;
  await removeLeftoversOfDeadRuns(parent, PREFIX);
  const path = await mkdtemp(join(parent, `${PREFIX}${process.pid}-`));
  // Others may pass through it, not list it: kpkg smoke's sandbox, whose root is a subordinate id
  // when kpkg runs as root (src/smoke/sandbox/ids.ts), reaches the rootfs unpacked below it.
  await chmod(path, 0o711);
  const remove = (): Promise<void> => rm(path, { recursive: true, force: true });
  const unregister = onInterrupt(remove);
  process.env.TMPDIR = path;
  return {
    path,
    async dispose() {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      unregister();
      await remove();
    },
  };
}
