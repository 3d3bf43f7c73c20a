/**
 * A directory a kernel install target wrote (INSTALL_MOD_PATH=, INSTALL_HDR_PATH=, ...), listed.
 * Nothing is copied: layouts turn the items into package entries pointing at the staged files.
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { IO_PARALLELISM, mapLimit } from '../../util/pool.js';

export interface StagedItem {
  /** Path relative to the staging root, '/'-separated, never empty. */
  path: string;
  kind: 'dir' | 'file' | 'symlink';
  /** Absolute path on disk. */
  source: string;
  /** Permission bits on disk. */
  mode: number;
  size: number;
  /** Link text of a symlink, as written. */
  linkTarget?: string;
}

/** Every directory, file and symlink below root (not root itself), sorted by path; symlinks are not followed. */
export async function listStagedTree(root: string): Promise<StagedItem[]> {
  const found: StagedItem[] = [];
  const visit = async (rel: string): Promise<void> => {
    const abs = join(root, rel);
    const st = await lstat(abs);
    if (st.isDirectory()) {
      if (rel !== '') found.push({ path: rel, kind: 'dir', source: abs, mode: st.mode & 0o7777, size: 0 });
      const children = await readdir(abs);
      await mapLimit(children, IO_PARALLELISM, (child) => visit(rel === '' ? child : `${rel}/${child}`));
    } else if (st.isSymbolicLink()) {
      found.push({ path: rel, kind: 'symlink', source: abs, mode: 0o777, size: 0, linkTarget: await readlink(abs) });
    } else if (st.isFile()) {
      found.push({ path: rel, kind: 'file', source: abs, mode: st.mode & 0o7777, size: st.size });
    } else {
      throw new KpkgError(
        `${abs} is neither a file, a directory nor a symlink: a kernel install target left something kpkg cannot package`,
        { where: abs },
      );
    }
  };
  await visit('');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
