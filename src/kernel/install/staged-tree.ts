/**
 * A directory a kernel install target wrote (INSTALL_MOD_PATH=, INSTALL_HDR_PATH=, ...), listed as
 * package entries. Nothing is copied: entries point at the staged files on disk.
 */
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { PackageEntry } from '../../package/model.js';
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
      throw new KpkgError(`${abs} is neither a file, a directory nor a symlink: a kernel install target left something kpkg cannot package`, { where: abs });
    }
  };
  await visit('');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Permissions as a package should have them (what debhelper's dh_fixperms and builddeb's
 * `chmod -R go-w,a+rX` leave): 0755 for directories and anything executable, else 0644.
 */
export function packageMode(kind: 'dir' | 'file', mode: number): number {
  return kind === 'dir' || (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

/** The entry of one staged item, installed at `installPath`. */
export function stagedEntry(item: StagedItem, installPath: string): PackageEntry {
  switch (item.kind) {
    case 'dir':
      return { kind: 'dir', path: installPath, mode: 0o755 };
    case 'symlink':
      return { kind: 'symlink', path: installPath, target: item.linkTarget ?? '' };
    case 'file':
      return { kind: 'file', path: installPath, mode: packageMode('file', item.mode), size: item.size, source: { from: 'disk', path: item.source } };
  }
}

/** Staged items as entries below `prefix` ('' or an absolute path such as '/usr/lib/linux-image-6.1.0'). */
export function stagedEntries(items: readonly StagedItem[], prefix: string): PackageEntry[] {
  return items.map((item) => stagedEntry(item, `${prefix}/${item.path}`));
}
