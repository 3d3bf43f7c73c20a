import type { PackageDescription, PackageEntry } from '../../package/model.js';
import type { ArchInfo } from '../arch-table.js';
import type { StagedHeaders } from '../headers/stage.js';
import { docEntries, kernelPackageFields, type PackageSet } from './common.js';

export function headersPackageName(release: string): string {
  return `linux-headers-${release}`;
}

export function headersInstallDir(release: string): string {
  return `/usr/src/linux-headers-${release}`;
}

/**
 * linux-headers-<release>: the staged external-module tree under /usr/src and the
 * /lib/modules/<release>/build link to it, with the control fields scripts/package/mkdebian writes.
 */
export function headersPackage(staged: StagedHeaders, arch: ArchInfo, set: PackageSet): PackageDescription {
  const { release } = staged;
  const name = headersPackageName(release);
  const root = headersInstallDir(release);
  const tree: PackageEntry[] = staged.entries.map((e): PackageEntry => {
    const path = `${root}/${e.path}`;
    if (e.kind === 'symlink') return { kind: 'symlink', path, target: e.linkTarget ?? '' };
    // Permissions as a package should have them: executable or not, never group/other-writable.
    return { kind: 'file', path, mode: (e.mode & 0o111) !== 0 ? 0o755 : 0o644, size: e.size, source: { from: 'disk', path: e.source } };
  });
  return {
    name,
    ...kernelPackageFields(set, arch, 'kernel'),
    summary: `Linux kernel headers for ${release} on ${arch.debian}`,
    description: `This package provides kernel header files for ${release} on ${arch.debian}\n\nThis is useful for people who need to build external modules`,
    entries: [...tree, { kind: 'symlink', path: `/lib/modules/${release}/build`, target: root }, ...docEntries(name, set, release)],
  };
}
