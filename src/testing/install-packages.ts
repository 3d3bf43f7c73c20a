/**
 * Helpers for the installer tests (not used by kpkg itself): tiny synthetic headers packages of
 * every format, written with kpkg's own writers. (node --test runs this file too, because of its
 * test- prefix; it has no tests.)
 */
import { join } from 'node:path';
import type { CompressionKind } from '../archive/compress.js';
import type { Packager } from '../formats/packager.js';
import type { PackageDescription, PackageEntry } from '../package/model.js';

export const TEST_RELEASE = '6.1.192-kpkg';

const text = (path: string, body: string): PackageEntry => ({
  kind: 'file',
  path,
  mode: 0o644,
  size: Buffer.byteLength(body),
  source: { from: 'bytes', data: Buffer.from(body) },
});

/**
 * A tiny headers package: a tree at `root` (Makefile, kernel.release, auto.conf) and, when the
 * tree is not itself /…/modules/<release>/build, the /lib/modules/<release>/build link to it.
 */
export function headersDescription(
  name: string,
  root: string,
  options: { release?: string; clang?: boolean; arch?: string } = {},
): PackageDescription {
  const release = options.release ?? TEST_RELEASE;
  const entries: PackageEntry[] = [
    text(`${root}/Makefile`, 'include /nowhere/Makefile\n'),
    text(`${root}/include/config/kernel.release`, `${release}\n`),
    text(
      `${root}/include/config/auto.conf`,
      `CONFIG_MODULES=y\n${options.clang === true ? 'CONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=140006\nCONFIG_LD_IS_LLD=y' : 'CONFIG_CC_IS_GCC=y\nCONFIG_GCC_VERSION=120200'}\n`,
    ),
  ];
  if (!/\/modules\/[^/]+\/build$/.test(root))
    entries.push({ kind: 'symlink', path: `/lib/modules/${release}/build`, target: root });
  return {
    name,
    version: '6.1.192-1',
    arch: options.arch ?? 'arm64',
    summary: 'test headers',
    description: 'test headers',
    maintainer: 'Kpkg Test <kpkg@example.org>',
    entries,
    mtime: 1700000000,
  };
}

/** Writes `pkg` into `dir` under the writer's own file name, or `name`. */
export async function writeTestPackage(
  dir: string,
  packager: Packager,
  pkg: PackageDescription,
  compression: CompressionKind,
  name?: string,
): Promise<string> {
  const path = join(dir, name ?? packager.fileName(pkg, { compression }));
  await packager.write(pkg, path, { compression });
  return path;
}
