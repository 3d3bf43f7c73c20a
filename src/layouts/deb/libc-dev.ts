import type { ArchInfo } from '../../arch/arch-table.js';
import type { StagedItem } from '../../kernel/install/staged-tree.js';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import type { PackageSet } from '../package-set.js';
import { stagedEntry } from '../staged-entries.js';
import { docEntries, kernelPackageFields } from './common.js';
import { DEFAULT_DEBIAN_SETTINGS, type DebianSettings } from './settings.js';

export const LIBC_DEV_PACKAGE = 'linux-libc-dev';

/**
 * Where a header headers_install wrote (relative to INSTALL_HDR_PATH, e.g. include/asm/unistd.h)
 * goes: below /usr, except include/asm, which moves to the multiarch directory
 * (/usr/include/aarch64-linux-gnu/asm) so that linux-libc-dev of several architectures can be
 * installed side by side — what scripts/package/builddeb does and Debian's own linux-libc-dev ships.
 */
export function libcDevInstallPath(relative: string, arch: ArchInfo): string {
  if (relative === 'include/asm' || relative.startsWith('include/asm/'))
    return `/usr/include/${arch.multiarch}/${relative.slice('include/'.length)}`;
  return `/usr/${relative}`;
}

/** linux-libc-dev: the userspace API headers (headers_install), Multi-Arch: same, as mkdebian describes it. */
export function libcDevPackage(
  headers: readonly StagedItem[],
  arch: ArchInfo,
  set: PackageSet,
  settings: DebianSettings = DEFAULT_DEBIAN_SETTINGS,
): PackageDescription {
  const entries: PackageEntry[] = headers.map((item) => stagedEntry(item, libcDevInstallPath(item.path, arch)));
  return {
    name: LIBC_DEV_PACKAGE,
    ...kernelPackageFields(set, arch, 'devel', settings),
    provides: [{ name: 'linux-kernel-headers' }],
    multiArch: 'same',
    summary: 'Linux support headers for userspace development',
    description:
      'This package provides userspaces headers from the Linux kernel.  These headers\nare used by the installed headers for GNU glibc and other system libraries.',
    entries: [...entries, ...docEntries(LIBC_DEV_PACKAGE, set, settings)],
  };
}
