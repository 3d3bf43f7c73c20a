import { execa } from 'execa';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test helper: a writable view of a cached kernel tree (an overlay mount; needs root), so a test
 * can break it — remove a file, add a bad name, change a file mid-run — without touching the cache.
 */
export interface OverlayTree {
  /** The merged, writable directory. */
  dir: string;
  dispose(): Promise<void>;
}

export async function overlayTree(lower: string): Promise<OverlayTree> {
  const base = await mkdtemp(join(tmpdir(), 'kpkg-overlay-'));
  // Ordinary users must reach the merged tree (the unreadable-file case runs as one).
  await chmod(base, 0o755);
  const [upper, work, dir] = ['upper', 'work', 'merged'].map((d) => join(base, d)) as [string, string, string];
  for (const d of [upper, work, dir]) await mkdir(d);
  await execa('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, dir]);
  return {
    dir,
    async dispose() {
      await execa('umount', [dir], { reject: false });
      await rm(base, { recursive: true, force: true });
    },
  };
}
