import type { ArchInfo } from '../../arch/arch-table.js';
import { bootInstallPathFor } from '../../arch/kconfig.js';
import type { StagedHeaders } from '../../kernel/headers/stage.js';
import type { Dependency, PackageDescription } from '../../package/model.js';
import { headersTreeEntries } from '../headers-tree.js';
import type { PackageSet } from '../package-set.js';
import { docEntries, kernelPackageFields } from './common.js';
import { DEBIAN_COMPILER_NAMES } from './compiler.js';
import { kernelHookScript } from './image.js';
import { DEFAULT_DEBIAN_SETTINGS, type DebianSettings } from './settings.js';

export function headersPackageName(release: string): string {
  return `linux-headers-${release}`;
}

export function headersInstallDir(release: string): string {
  return `/usr/src/linux-headers-${release}`;
}

/**
 * linux-headers-<release>'s postinst: on configure, the hooks in <hookDir>/header_postinst.d with
 * the release and the boot image's path, as Debian's own linux-headers packages run them (and
 * upstream's bindeb-pkg does not). dkms ships one there (`dkms autoinstall` for the release), so a
 * DKMS module is built when the headers arrive after the image, whose postinst.d hook ran too early.
 */
export function headersPostinst(arch: ArchInfo, release: string, hookDir: string): string {
  return kernelHookScript({
    packageName: headersPackageName(release),
    script: 'postinst',
    hooks: `${hookDir}/header_postinst.d`,
    release,
    imagePath: bootInstallPathFor(arch, release),
    onlyOn: 'configure',
  });
}

/**
 * linux-headers-<release>: the staged external-module tree under /usr/src and the
 * /lib/modules/<release>/build link to it, with the control fields scripts/package/mkdebian writes
 * and, unlike mkdebian, the Depends its programs need on the target (runtime.ts), and a postinst
 * that runs the header_postinst.d hooks (headersPostinst).
 */
export function headersPackage(
  staged: StagedHeaders,
  arch: ArchInfo,
  set: PackageSet,
  depends: readonly Dependency[] = [],
  settings: DebianSettings = DEFAULT_DEBIAN_SETTINGS,
): PackageDescription {
  const { release } = staged;
  const name = headersPackageName(release);
  const root = headersInstallDir(release);
  return {
    name,
    ...kernelPackageFields(set, arch, 'kernel', settings),
    summary: `Linux kernel headers for ${release} on ${arch.debian}`,
    ...(depends.length === 0 ? {} : { depends }),
    description: `This package provides kernel header files for ${release} on ${arch.debian}\n\nThis is useful for people who need to build external modules`,
    scripts: { postinst: headersPostinst(arch, release, settings.hookDir) },
    entries: [
      ...headersTreeEntries(staged, root, DEBIAN_COMPILER_NAMES),
      { kind: 'symlink', path: `/lib/modules/${release}/build`, target: root },
      ...docEntries(name, set, settings),
    ],
  };
}
