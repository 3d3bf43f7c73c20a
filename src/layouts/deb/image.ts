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

/** A maintainer script that runs one directory of kernel hooks (kernelHookScript). */
export interface KernelHookScript {
  /** The package the script belongs to, named in its comment. */
  packageName: string;
  script: MaintainerScript;
  /** The hook directory, e.g. /etc/kernel/postinst.d. */
  hooks: string;
  release: string;
  /** The installed boot image, the hooks' second argument. */
  imagePath: string;
  /** INITRD=Yes|No for the hooks; undefined: not set (the headers' hooks are not told). */
  initrd?: boolean | undefined;
  /** Run the hooks only when dpkg calls the script with this first argument. */
  onlyOn?: 'configure' | undefined;
}

/**
 * A maintainer script that runs the kernel hooks of its kind, with the arguments and environment
 * the Debian kernel handbook (ch. 8, "Kernel hooks") specifies and scripts/package/builddeb passes:
 * the release and the image path as arguments, the maintainer script's own arguments in
 * DEB_MAINT_PARAMS, INITRD=Yes|No for the image's hooks. That is how initramfs-tools, dracut, the
 * bootloader integrations (zz-update-grub, flash-kernel, systemd's kernel-install) and DKMS learn
 * about the kernel. Like Debian's own kernel packages, a failing hook fails the script
 * (--exit-on-error) and each hook is named as it runs (--report). POSIX sh with set -e and no
 * #DEBHELPER# token: nothing else is added to it.
 */
export function kernelHookScript(k: KernelHookScript): string {
  const initrd =
    k.initrd === undefined
      ? ''
      : `
# Whether this kernel wants an initramfs (CONFIG_BLK_DEV_INITRD); initramfs-tools and dracut read it.
export INITRD=${k.initrd ? 'Yes' : 'No'}
`;
  const condition =
    k.onlyOn === undefined
      ? `if [ -d ${k.hooks} ]; then`
      : `# Only when dpkg ${k.onlyOn}s the package, not when it unwinds a failed upgrade or removal (abort-*).
if [ "$1" = ${k.onlyOn} ] && [ -d ${k.hooks} ]; then`;
  return `#!/bin/sh
# ${k.script} of ${k.packageName}, written by kpkg: runs the hooks in ${k.hooks}.
set -e

# The hooks see this script's own arguments ("configure <old version>", "remove", ...).
export DEB_MAINT_PARAMS="$*"
${initrd}
${condition}
	run-parts --report --exit-on-error --arg=${k.release} --arg=${k.imagePath} ${k.hooks}
fi
exit 0
`;
}

/** linux-image's maintainer script of one kind: runs <hookDir>/<script>.d, every time dpkg calls it. */
export function imageMaintainerScript(
  script: MaintainerScript,
  release: string,
  imagePath: string,
  initrd: boolean,
  hookDir = DEFAULT_DEBIAN_SETTINGS.hookDir,
): string {
  return kernelHookScript({
    packageName: imagePackageName(release),
    script,
    hooks: `${hookDir}/${script}.d`,
    release,
    imagePath,
    initrd,
  });
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
