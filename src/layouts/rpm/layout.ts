/**
 * The RPM layout: the packages upstream's scripts/package/kernel.spec declares (mainline, with
 * the debuginfo package added after 6.12) — kernel, kernel-devel, kernel-headers and
 * kernel-debuginfo — with its names, Provides/Obsoletes, paths and scriptlets. Unlike
 * `make binrpm-pkg`, which turns kernel-devel off whenever CC differs from HOSTCC
 * (scripts/Makefile.package, rpm-no-devel), kernel-devel is written for cross builds too: its
 * tree has the host programs rebuilt for the target.
 */
import type { KernelPart } from '../../kernel/parts.js';
import { DEPMOD_OUTPUTS } from '../../kernel/parts.js';
import { splitVersion, type PackageDescription, type PackageEntry } from '../../package/model.js';
import { DEBUG_ROOT, moduleDebugEntries } from '../debug-files.js';
import { headersTreeEntries } from '../headers-tree.js';
import { NOT_APPLICABLE, requirePart, type DistributionLayout } from '../layout.js';
import { modulesDirEntries } from '../modules-dir.js';
import { checkPackageVersion, type PackageSet } from '../package-set.js';
import { stagedDataFile, stagedEntry } from '../staged-entries.js';
import { rpmRequires } from './requires.js';
import { kernelScriptlets } from './scriptlets.js';

export const RPM_PACKAGE_KINDS = ['kernel', 'devel', 'headers', 'debuginfo'] as const;
export type RpmPackageKind = (typeof RPM_PACKAGE_KINDS)[number];

const PARTS: Readonly<Record<RpmPackageKind, readonly KernelPart[]>> = {
  kernel: ['image'],
  devel: ['headers'],
  headers: ['uapi'],
  debuginfo: ['debug'],
};

/** kernel.spec: Version is KERNELRELEASE with '-' made '_' (rpm forbids '-' there), Release the build number. */
export function rpmVersion(set: PackageSet): string {
  return set.version ?? checkPackageVersion(`${set.release.replace(/-/g, '_')}-${set.revision}`);
}

/** The Version part alone, what kernel.spec's %{version} gives. */
function versionOnly(set: PackageSet): string {
  return splitVersion(rpmVersion(set)).version;
}

export function develInstallDir(release: string): string {
  return `/usr/src/kernels/${release}`;
}

function common(
  set: PackageSet,
  arch: string,
): Pick<PackageDescription, 'version' | 'arch' | 'maintainer' | 'homepage' | 'license' | 'mtime'> {
  return {
    version: rpmVersion(set),
    arch,
    maintainer: set.maintainer,
    homepage: 'https://www.kernel.org',
    license: 'GPL-2.0-only',
    mtime: set.mtime,
  };
}

const ghost = (path: string): PackageEntry => ({ kind: 'ghost', path, mode: 0o644 });

export const rpmLayout: DistributionLayout<RpmPackageKind> = {
  family: 'rpm',
  kinds: RPM_PACKAGE_KINDS,
  partsOf: (kind) => PARTS[kind],
  notApplicable: (kind, features) =>
    kind === 'devel'
      ? NOT_APPLICABLE.headers(features)
      : kind === 'debuginfo'
        ? NOT_APPLICABLE.debug(features)
        : undefined,
  // Soname requires, which any RPM distribution's libraries provide; the plugins' gcc build is not
  // named: an RPM distribution's gcc versions are not the plugin headers' (Debian's or --plugin-sysroot's).
  runtimeRelations: ({ needs }) => Promise.resolve({ depends: rpmRequires(needs), warnings: [] }),
  describe(kind, parts, { arch, set, runtime }) {
    const { release } = set;
    const modulesDir = `/lib/modules/${release}`;
    switch (kind) {
      case 'kernel': {
        const image = requirePart(parts, 'image');
        const { dtbs } = image;
        return {
          name: 'kernel',
          ...common(set, arch.debian),
          summary: 'The Linux Kernel',
          description: 'The Linux Kernel, the operating system core itself',
          rpm: { group: 'System Environment/Kernel', vendor: 'The Linux Community' },
          provides: [{ name: `kernel-${release}` }],
          scripts: kernelScriptlets(release),
          entries: [
            // modules_install with DEPMOD=true: %post runs depmod; the indexes are %ghost.
            ...modulesDirEntries(image.modules, release, modulesDir, { withoutDepmodOutputs: true }),
            ...DEPMOD_OUTPUTS.map((name) => ghost(`${modulesDir}/${name}`)),
            stagedDataFile(`${modulesDir}/vmlinuz`, image.bootImage),
            stagedDataFile(`${modulesDir}/System.map`, image.systemMap),
            stagedDataFile(`${modulesDir}/config`, image.config),
            ...(dtbs.length === 0 ? [] : [{ kind: 'dir', path: `${modulesDir}/dtb`, mode: 0o755 } as const]),
            ...dtbs.map((item) => stagedEntry(item, `${modulesDir}/dtb/${item.path}`)),
            // %post copies these to /boot; the package owns the copies so that removal deletes them.
            ...['System.map', 'config', 'vmlinuz'].map((name) => ghost(`/boot/${name}-${release}`)),
            ...dtbs.filter((item) => item.kind !== 'dir').map((item) => ghost(`/boot/dtb-${release}/${item.path}`)),
          ],
        };
      }
      case 'devel': {
        const root = develInstallDir(release);
        return {
          name: 'kernel-devel',
          ...common(set, arch.debian),
          summary: `Development package for building kernel modules to match the ${versionOnly(set)} kernel`,
          description: `This package provides kernel headers and makefiles sufficient to build modules\nagainst the ${versionOnly(set)} kernel package.`,
          rpm: { group: 'System Environment/Kernel', vendor: 'The Linux Community' },
          depends: runtime,
          entries: [
            { kind: 'dir', path: root, mode: 0o755 },
            ...headersTreeEntries(requirePart(parts, 'headers'), root),
            { kind: 'symlink', path: `${modulesDir}/build`, target: root },
          ],
        };
      }
      case 'headers': {
        const version = versionOnly(set);
        return {
          name: 'kernel-headers',
          ...common(set, arch.debian),
          summary: 'Header files for the Linux kernel for use by glibc',
          description:
            'Kernel-headers includes the C header files that specify the interface\nbetween the Linux kernel and userspace libraries and programs.  The\nheader files define structures and constants that are needed for\nbuilding most standard programs and are also needed for rebuilding the\nglibc package.',
          rpm: {
            group: 'Development/System',
            vendor: 'The Linux Community',
            obsoletes: [{ name: 'kernel-headers', version: { op: '<<', version } }],
          },
          provides: [{ name: 'kernel-headers', version: { op: '=', version } }],
          // headers_install INSTALL_HDR_PATH=/usr: the package owns /usr/include and everything below.
          entries: requirePart(parts, 'uapi').map((item) => stagedEntry(item, `/usr/${item.path}`)),
        };
      }
      case 'debuginfo': {
        const debug = requirePart(parts, 'debug');
        const debugModules = `${DEBUG_ROOT}/lib/modules/${release}`;
        return {
          name: 'kernel-debuginfo',
          ...common(set, arch.debian),
          summary: 'Debug information package for the Linux kernel',
          description: `This package provides debug information for the kernel image and modules from the\n${versionOnly(set)} package.`,
          rpm: { group: 'Development/Debug', vendor: 'The Linux Community' },
          entries: [
            stagedDataFile(`${debugModules}/vmlinux`, debug.vmlinux),
            ...moduleDebugEntries(debug.modules, debugModules),
          ],
        };
      }
    }
  },
};
