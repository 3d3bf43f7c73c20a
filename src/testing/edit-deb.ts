/** A .deb changed the way a hand or another tool would change it, for tests of what kpkg proves about debs. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

/** `deb` unpacked with dpkg-deb, `edit`ed in place, and built again as `out`. */
export async function editedDeb(deb: string, out: string, edit: (dir: string) => Promise<void>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-edit-deb-'));
  try {
    await execa('dpkg-deb', ['-R', deb, dir]);
    await edit(dir);
    await execa('dpkg-deb', ['--root-owner-group', '-b', dir, out]);
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
