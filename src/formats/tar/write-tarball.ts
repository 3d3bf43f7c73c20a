/**
 * Writes a plain tarball of a package's tree, as `make tar-pkg` archives its staging directory
 * (scripts/Makefile.package: `tar --owner=root --group=root --sort=name`): members relative to
 * the root, no leading './' or '/', directories before their contents, names in byte order,
 * owner root, every mtime the package's. GNU format (src/archive/tar.ts), compressed with gzip,
 * xz or zstd. Metadata (version, relations, scripts) has no place in a tarball and is dropped.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { COMPRESSION_SUFFIX } from '../../archive/compress.js';
import { compressedTarMember } from '../../archive/compressed-member.js';
import { measuringStream } from '../../archive/measure.js';
import type { TarEntry } from '../../archive/tar.js';
import { sortEntries, type PackageDescription, type PackageEntry } from '../../package/model.js';
import { writePackageFile } from '../package-file.js';
import { tarFileMember } from '../tar-member.js';
import type { Packager, WriteOptions, WrittenArtifact } from '../packager.js';

/** The tar members of the entries (in tree order, the root left out). */
export function tarballEntries(entries: readonly PackageEntry[], mtime: number): TarEntry[] {
  const members: TarEntry[] = [];
  for (const entry of sortEntries(entries)) {
    if (entry.path === '/') continue;
    const name = entry.path.slice(1);
    switch (entry.kind) {
      case 'dir':
        members.push({ type: 'dir', name: `${name}/`, mode: entry.mode, mtime });
        break;
      case 'file':
        members.push(tarFileMember(name, entry, mtime));
        break;
      case 'symlink':
        members.push({ type: 'symlink', name, target: entry.target, mtime });
        break;
      case 'ghost':
        break;
    }
  }
  return members;
}

/** Compresses the tarball of `pkg` into options.members, for a writeTarball that follows (packager.ts, prepare). */
async function prepareTarball(pkg: PackageDescription, options: WriteOptions): Promise<void> {
  if (options.members === undefined) return;
  await compressedTarMember(tarballEntries(pkg.entries, pkg.mtime), '', {
    compression: options.compression,
    level: options.level,
    store: options.members,
  });
}

async function writeTarball(pkg: PackageDescription, outPath: string, options: WriteOptions): Promise<WrittenArtifact> {
  return writePackageFile(outPath, async ({ partial, scratch }) => {
    // The compressed tar (or the one a run before made of the same bytes), copied into place while hashed.
    const tar = await compressedTarMember(tarballEntries(pkg.entries, pkg.mtime), scratch('tar'), {
      compression: options.compression,
      level: options.level,
      store: options.members,
    });
    const measure = measuringStream();
    await pipeline(createReadStream(tar.path), measure.stream, createWriteStream(partial));
    return { sha256: measure.digest(), size: measure.size };
  });
}

export const tarballPackager: Packager = {
  format: 'tar',
  compressions: ['gzip', 'xz', 'zstd', 'none'],
  fileName: (pkg, options) => `${pkg.name}.tar${COMPRESSION_SUFFIX[options.compression]}`,
  write: writeTarball,
  prepare: prepareTarball,
};
