/**
 * Test helper (not used by kpkg itself): one tiny package — a header below /usr/src — written by
 * a family's own container writer, with the writer's default compression, as kpkg names it.
 */
import { join } from 'node:path';
import type { Packager } from '../formats/packager.js';
import type { PackageDescription } from '../package/model.js';

const HEADER = '#define KPKG_FAMILY_TEST 1\n';

export function tinyPackage(): PackageDescription {
  return {
    name: 'kpkg-family-test',
    version: '1.0-1',
    arch: 'arm64',
    summary: 'synthetic package written by the families tests',
    description: '',
    maintainer: 'Kpkg Test <kpkg@example.org>',
    mtime: 1700000000,
    entries: [
      {
        kind: 'file',
        path: '/usr/src/kpkg-family-test/a.h',
        mode: 0o644,
        size: HEADER.length,
        source: { from: 'bytes', data: Buffer.from(HEADER) },
      },
    ],
  };
}

/** Writes tinyPackage() with `packager` into `dir`; returns the file's path. */
export async function writeTinyPackage(packager: Packager, dir: string): Promise<string> {
  const pkg = tinyPackage();
  const options = { compression: packager.compressions[0] ?? 'none' };
  const file = join(dir, packager.fileName(pkg, options));
  await packager.write(pkg, file, options);
  return file;
}
