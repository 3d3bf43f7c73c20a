/** A package's file as a member of the tar archives the deb, pacman and tar writers make. */
import type { TarEntry } from '../archive/tar.js';
import type { PackageEntry } from '../package/model.js';

type PackageFile = PackageEntry & { kind: 'file' };

/** The tar member of a package file named `name`: its mode and size, its bytes from disk or memory. */
export function tarFileMember(name: string, entry: PackageFile, mtime: number): TarEntry & { type: 'file' } {
  return {
    type: 'file',
    name,
    mode: entry.mode,
    mtime,
    size: entry.size,
    content:
      entry.source.from === 'disk'
        ? { from: 'disk', path: entry.source.path }
        : { from: 'bytes', data: entry.source.data },
  };
}
