/**
 * The headers' run-time needs as Arch Linux package names. pacman has no soname dependencies in
 * the repositories kpkg targets, so each library is named by the Arch package that ships it
 * (archlinux.org/packages: glibc, libelf, zlib, openssl, gcc-libs, gmp…).
 */
import type { RuntimeNeeds } from '../../elf/needs.js';
import type { PackageRelation } from '../../package/model.js';

/** The soname's stem ("libc" of "libc.so.6") → the Arch package that provides it. */
const ARCH_PACKAGE_OF: Readonly<Record<string, string>> = {
  libc: 'glibc',
  libm: 'glibc',
  libdl: 'glibc',
  libpthread: 'glibc',
  librt: 'glibc',
  libresolv: 'glibc',
  libelf: 'libelf',
  libdw: 'libelf',
  libz: 'zlib',
  libcrypto: 'openssl',
  libssl: 'openssl',
  'libstdc++': 'gcc-libs',
  libgcc_s: 'gcc-libs',
  libgmp: 'gmp',
  libmpfr: 'mpfr',
  libmpc: 'libmpc',
  libzstd: 'zstd',
  liblzma: 'xz',
  libbz2: 'bzip2',
};

/** The Arch package that ships a soname, when kpkg knows it. */
export function archPackageOf(soname: string): string | undefined {
  // The dynamic loader (ld-linux-aarch64.so.1, ld64.so.2…) is glibc's too.
  if (/^ld(-linux[\w.-]*|64)\.so\.\d+$/.test(soname)) return 'glibc';
  return ARCH_PACKAGE_OF[soname.replace(/\.so(\..*)?$/, '')];
}

export interface ArchDepends {
  depends: PackageRelation[];
  /** Sonames no Arch package is known for. */
  unknown: string[];
}

export function archDepends(needs: RuntimeNeeds): ArchDepends {
  const names = new Set<string>();
  const unknown: string[] = [];
  for (const { soname } of needs.libraries) {
    const name = archPackageOf(soname);
    if (name === undefined) unknown.push(soname);
    else names.add(name);
  }
  return { depends: [...names].sort().map((name) => ({ name })), unknown };
}
