/**
 * The RPM layout: the packages upstream's scripts/package/kernel.spec declares (mainline, with
 * the debuginfo package added after 6.12) — kernel, kernel-devel, kernel-headers and
 * kernel-debuginfo — with its names, Provides/Obsoletes, paths and scriptlets. Unlike
 * `make binrpm-pkg`, which turns kernel-devel off whenever CC differs from HOSTCC
 * (scripts/Makefile.package, rpm-no-devel), kernel-devel is written for cross builds too: its
 * tree has the host programs rebuilt for the target.
 */
import type { StagedHeaders } from '../../kernel/headers/stage.js';
import type { StagedItem } from '../../kernel/install/staged-tree.js';
import type { DebugContents, ImageContents, KernelPart } from '../../kernel/parts.js';
import { DEPMOD_OUTPUTS } from '../../kernel/parts.js';
import { splitVersion, type PackageDescription, type PackageEntry } from '../../package/model.js';
import { DEBUG_ROOT, moduleDebugEntries } from '../debug-files.js';
import { compilerRelations, PLAIN_COMPILER_NAMES } from '../compiler.js';
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

type CommonFields = ReturnType<typeof common>;
const KERNEL_RPM = { group: 'System Environment/Kernel', vendor: 'The Linux Community' } as const;

/** Where the kernel package puts the kernel (Fedora's layout: %post hands it to kernel-install). */
export function rpmKernelFile(release: string): string {
  return `/lib/modules/${release}/vmlinuz`;
}

/** kernel: the modules with depmod's indexes as %ghost, the image, System.map and config beside them, the /boot copies %post makes. */
function kernelPackage(fields: CommonFields, release: string, image: ImageContents): PackageDescription {
  const modulesDir = `/lib/modules/${release}`;
  const { dtbs } = image;
  return {
    name: 'kernel',
    ...fields,
    summary: 'The Linux Kernel',
    description: 'The Linux Kernel, the operating system core itself',
    rpm: KERNEL_RPM,
    provides: [{ name: `kernel-${release}` }],
    scripts: kernelScriptlets(release),
    entries: [
      // modules_install with DEPMOD=true: %post runs depmod; the indexes are %ghost.
      ...modulesDirEntries(image.modules, release, modulesDir, { withoutDepmodOutputs: true }),
      ...DEPMOD_OUTPUTS.map((name) => ghost(`${modulesDir}/${name}`)),
      stagedDataFile(rpmKernelFile(release), image.bootImage),
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

/** kernel-devel: the headers tree in /usr/src/kernels/<release>, the modules' build link pointing at it. */
function develPackage(
  fields: CommonFields,
  set: PackageSet,
  headers: StagedHeaders,
  runtime: PackageDescription['depends'],
): PackageDescription {
  const root = develInstallDir(set.release);
  return {
    name: 'kernel-devel',
    ...fields,
    summary: `Development package for building kernel modules to match the ${versionOnly(set)} kernel`,
    description: `This package provides kernel headers and makefiles sufficient to build modules\nagainst the ${versionOnly(set)} kernel package.`,
    rpm: KERNEL_RPM,
    depends: runtime,
    entries: [
      { kind: 'dir', path: root, mode: 0o755 },
      ...headersTreeEntries(headers, root, PLAIN_COMPILER_NAMES),
      { kind: 'symlink', path: `/lib/modules/${set.release}/build`, target: root },
    ],
  };
}

/** kernel-headers: the UAPI headers, for glibc, under /usr/include. */
function headersPackage(fields: CommonFields, set: PackageSet, uapi: readonly StagedItem[]): PackageDescription {
  const version = versionOnly(set);
  return {
    name: 'kernel-headers',
    ...fields,
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
    entries: uapi.map((item) => stagedEntry(item, `/usr/${item.path}`)),
  };
}

/** kernel-debuginfo: vmlinux and the modules' debug files below /usr/lib/debug. */
function debuginfoPackage(fields: CommonFields, set: PackageSet, debug: DebugContents): PackageDescription {
  const debugModules = `${DEBUG_ROOT}/lib/modules/${set.release}`;
  return {
    name: 'kernel-debuginfo',
    ...fields,
    summary: 'Debug information package for the Linux kernel',
    description: `This package provides debug information for the kernel image and modules from the\n${versionOnly(set)} package.`,
    rpm: { group: 'Development/Debug', vendor: 'The Linux Community' },
    entries: [
      stagedDataFile(`${debugModules}/vmlinux`, debug.vmlinux),
      ...moduleDebugEntries(debug.modules, debugModules),
    ],
  };
}

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
  // Soname requires, which any RPM distribution's libraries provide, and the compiler by its plain name;
  // the plugins' gcc build is not named: an RPM distribution's gcc versions are not the plugin
  // headers' (Debian's or --plugin-sysroot's).
  runtimeRelations: ({ needs, compiler }) =>
    Promise.resolve({
      depends: [...rpmRequires(needs), ...compilerRelations(compiler, PLAIN_COMPILER_NAMES)],
      warnings: [],
    }),
  describe(kind, parts, { arch, set, runtime }) {
    const fields = common(set, arch.debian);
    switch (kind) {
      case 'kernel':
        return kernelPackage(fields, set.release, requirePart(parts, 'image'));
      case 'devel':
        return develPackage(fields, set, requirePart(parts, 'headers'), runtime);
      case 'headers':
        return headersPackage(fields, set, requirePart(parts, 'uapi'));
      case 'debuginfo':
        return debuginfoPackage(fields, set, requirePart(parts, 'debug'));
    }
  },
};
