import type { ArchInfo } from '../../arch/arch-table.js';
import type { ImageContents, TreeFile } from '../../kernel/parts.js';
import type { MaintainerScript, PackageDescription, PackageEntry } from '../../package/model.js';
import type { PackageSet } from '../package-set.js';
import { stagedEntries } from '../staged-entries.js';
import { docEntries, kernelPackageFields } from './common.js';
import { DEFAULT_DEBIAN_SETTINGS, type DebianSettings } from './settings.js';

export function imagePackageName(release: string): string {
  return `linux-image-${release}`;
}

/** Where dtbs_install puts the device trees in the package (scripts/package/builddeb). */
export function dtbInstallDir(release: string): string {
  return `/usr/lib/${imagePackageName(release)}`;
}

export const MAINTAINER_SCRIPTS: readonly MaintainerScript[] = ['preinst', 'postinst', 'prerm', 'postrm'];

/**
 * A maintainer script that runs the kernel hooks of its kind, with the arguments and environment
 * the Debian kernel handbook (ch. 8, "Kernel hooks") specifies and scripts/package/builddeb passes:
 * the release and the image path as arguments, the maintainer script's own arguments in
 * DEB_MAINT_PARAMS, INITRD=Yes|No. That is how initramfs-tools, dracut, the bootloader integrations
 * (zz-update-grub, flash-kernel, systemd's kernel-install) and DKMS learn about the kernel.
 * Like Debian's own kernel packages, a failing hook fails the script (--exit-on-error) and each
 * hook is named as it runs (--report).
 */
export function imageMaintainerScript(
  script: MaintainerScript,
  release: string,
  imagePath: string,
  initrd: boolean,
  hookDir = DEFAULT_DEBIAN_SETTINGS.hookDir,
): string {
  const hooks = `${hookDir}/${script}.d`;
  return `#!/bin/sh
# ${script} of ${imagePackageName(release)}, written by kpkg: runs the hooks in ${hooks}.
set -e

# The hooks see this script's own arguments ("configure <old version>", "remove", ...).
export DEB_MAINT_PARAMS="$*"

# Whether this kernel wants an initramfs (CONFIG_BLK_DEV_INITRD); initramfs-tools and dracut read it.
export INITRD=${initrd ? 'Yes' : 'No'}

if [ -d ${hooks} ]; then
	run-parts --report --exit-on-error --arg=${release} --arg=${imagePath} ${hooks}
fi
exit 0
`;
}

/**
 * linux-image-<release>: the boot image, System.map and config under /boot, the modules as
 * modules_install laid them out (depmod's indexes included), the device trees under
 * /usr/lib/linux-image-<release>/, the (empty) hook directories, and maintainer scripts that run
 * the hooks — the package scripts/package/builddeb and mkdebian describe. Debian's kernel packages,
 * make-kpkg and bindeb-pkg all run /etc/kernel/<script>.d; bindeb-pkg's KDEB_HOOKDIR moves them.
 */
export function imagePackage(
  contents: ImageContents,
  arch: ArchInfo,
  set: PackageSet,
  settings: DebianSettings = DEFAULT_DEBIAN_SETTINGS,
): PackageDescription {
  const { release } = contents;
  const name = imagePackageName(release);
  const bootPath = `/boot/${contents.bootImage.bootName}`;
  const file = (path: string, f: TreeFile): PackageEntry => ({
    kind: 'file',
    path,
    mode: 0o644,
    size: f.size,
    source: { from: 'disk', path: f.source },
  });
  const entries: PackageEntry[] = [
    file(bootPath, contents.bootImage),
    file(`/boot/System.map-${release}`, contents.systemMap),
    file(`/boot/config-${release}`, contents.config),
    ...stagedEntries(contents.modules, ''),
    ...(contents.dtbs.length === 0
      ? []
      : [
          { kind: 'dir', path: dtbInstallDir(release), mode: 0o755 } as const,
          ...stagedEntries(contents.dtbs, dtbInstallDir(release)),
        ]),
    ...MAINTAINER_SCRIPTS.map((script): PackageEntry => ({
      kind: 'dir',
      path: `${settings.hookDir}/${script}.d`,
      mode: 0o755,
    })),
    ...docEntries(name, set, settings),
  ];
  const scripts: Partial<Record<MaintainerScript, string>> = {};
  for (const script of MAINTAINER_SCRIPTS)
    scripts[script] = imageMaintainerScript(script, release, bootPath, contents.initrd, settings.hookDir);
  return {
    name,
    ...kernelPackageFields(set, arch, 'kernel', settings),
    summary: `Linux kernel, version ${release}`,
    description: `This package contains the Linux kernel, modules and corresponding other\nfiles, version: ${release}.`,
    scripts,
    entries,
  };
}
