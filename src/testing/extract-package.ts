/**
 * Test helper (not used by kpkg itself): unpacks a package of any family with the distributions'
 * own tools — dpkg-deb, rpm2cpio and cpio, tar — not with kpkg's readers, so that what the
 * package holds is seen by an independent referee.
 */
import { execa } from 'execa';
import type { FamilyId } from '../package/family.js';

/** Unpacks `file`, a package of `family`, into the existing directory `dir` (paths relative to the root). */
export async function extractPackageInto(file: string, family: FamilyId, dir: string): Promise<void> {
  switch (family) {
    case 'deb':
      await execa('dpkg-deb', ['-x', file, dir]);
      return;
    case 'rpm':
      await execa(
        'bash',
        ['-o', 'pipefail', '-c', 'rpm2cpio "$1" | cpio -idm --quiet --no-absolute-filenames', 'bash', file],
        {
          cwd: dir,
        },
      );
      return;
    case 'pacman':
    case 'tar':
      // GNU tar recognizes the compression (zstd, xz, gzip, bzip2) by the stream's magic.
      await execa('tar', ['-xf', file, '-C', dir]);
      return;
  }
}
