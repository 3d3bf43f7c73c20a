/** Staged kernel files (kernel install targets' output, listed) as package entries at a layout's paths. */
import type { StagedItem } from '../kernel/install/staged-tree.js';
import type { PackageEntry } from '../package/model.js';

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
      return {
        kind: 'file',
        path: installPath,
        mode: packageMode('file', item.mode),
        size: item.size,
        source: { from: 'disk', path: item.source },
      };
  }
}

/** A staged file that is data, not a program (the boot image, System.map, a config): 0644 at `installPath`. */
export function stagedDataFile(installPath: string, file: { source: string; size: number }): PackageEntry {
  return { kind: 'file', path: installPath, mode: 0o644, size: file.size, source: { from: 'disk', path: file.source } };
}

/** Staged items as entries below `prefix` ('' or an absolute path such as '/usr/lib/linux-image-6.1.0'). */
export function stagedEntries(items: readonly StagedItem[], prefix: string): PackageEntry[] {
  return items.map((item) => stagedEntry(item, `${prefix}/${item.path}`));
}
