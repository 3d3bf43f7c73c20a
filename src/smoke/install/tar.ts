import type { DecompressionKind } from '../../archive/compress.js';
import { bootInstallPathFor } from '../../arch/kconfig.js';
import { archiveFacts } from './archive-facts.js';
import type { Installer } from './installer.js';
import { sniffInput } from './sniff.js';

/** The Debian package that brings the program GNU tar runs to decompress (gzip is Essential). */
export const DECOMPRESSOR_PACKAGE: Readonly<Record<DecompressionKind, string | undefined>> = {
  none: undefined,
  gzip: undefined,
  xz: 'xz-utils',
  zstd: 'zstd',
  bzip2: 'bzip2',
};

/**
 * Tarballs (`kpkg tar`, `make tar-pkg`): unpacked at / with the rootfs's GNU tar, which finds the
 * compression itself. --keep-directory-symlink: the tarball has lib/ and the rootfs merged /usr
 * (/lib -> usr/lib); without it tar replaces the /lib symlink with a directory, and the rootfs
 * loses its dynamic loader.
 */
export const tarInstaller: Installer = {
  format: 'tar',
  program: 'tar',
  summary: "tar -xf <tarball> -C / --keep-directory-symlink (the rootfs's own tar)",
  async rootfsPackages(files) {
    const kinds = await Promise.all(files.map(async (file) => (await sniffInput(file)).compression));
    return [
      ...new Set(kinds.map((kind) => DECOMPRESSOR_PACKAGE[kind]).filter((p): p is string => p !== undefined)),
    ].sort();
  },
  commands: (files) => files.map((file) => ['tar', '-xf', file, '-C', '/', '--keep-directory-symlink']),
  // boot/<the arch's image name>-<release>, as buildtar lays it out (layouts/tar/layout.ts).
  kernelFile: bootInstallPathFor,
  facts: (files) => archiveFacts(files),
};
