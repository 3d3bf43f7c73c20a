/**
 * The Arch Linux layout: the split packages upstream's scripts/package/PKGBUILD builds (6.12) —
 * <pkgbase>, <pkgbase>-headers, <pkgbase>-api-headers, <pkgbase>-debug — with its paths: the
 * kernel under /usr/lib/modules/<release> (vmlinuz where systemd and mkinitcpio look, a pkgbase
 * file naming the kernel for mkinitcpio), the headers tree at /usr/lib/modules/<release>/build
 * with /usr/src/<pkgbase> pointing at it. Like the PKGBUILD, no install scripts: Arch's alpm
 * hooks run depmod and mkinitcpio for anything below /usr/lib/modules.
 */
import { posix } from 'node:path';
import type { KernelPart, KernelParts } from '../../kernel/parts.js';
import { splitVersion, type PackageDescription } from '../../package/model.js';
import { compilerRelations, PLAIN_COMPILER_NAMES } from '../compiler.js';
import { headersTreeEntries } from '../headers-tree.js';
import { NOT_APPLICABLE, requirePart, type DistributionLayout } from '../layout.js';
import { archDepends } from './depends.js';
import { modulesDirEntries } from '../modules-dir.js';
import { checkPackageVersion, type PackageSet } from '../package-set.js';
import { stagedDataFile, stagedEntry } from '../staged-entries.js';

export const PACMAN_PACKAGE_KINDS = ['kernel', 'headers', 'api-headers', 'debug'] as const;
export type PacmanPackageKind = (typeof PACMAN_PACKAGE_KINDS)[number];

/** PACMAN_PKGBASE's default in the PKGBUILD. */
export const DEFAULT_PKGBASE = 'linux-upstream';

const PARTS: Readonly<Record<PacmanPackageKind, readonly KernelPart[]>> = {
  kernel: ['image'],
  headers: ['headers'],
  'api-headers': ['uapi'],
  debug: [],
};

/** The PKGBUILD's pkgver: KERNELRELEASE with "-rcN" made "rcN" and other '-' made '_'; pkgrel the build number. */
export function pacmanVersion(set: PackageSet): string {
  return (
    set.version ?? checkPackageVersion(`${set.release.replace(/-(rc\d+)/, '$1').replace(/-/g, '_')}-${set.revision}`)
  );
}

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** What every package of the set has in common: name, version, the PKGBUILD's fixed fields. */
type PacmanBase = Omit<PackageDescription, 'summary' | 'entries'>;

/** The paths the packages of one release share. */
interface ReleasePaths {
  readonly release: string;
  /** /usr/lib/modules/<release>, where systemd and mkinitcpio look for the kernel. */
  readonly modulesDir: string;
  /** The headers tree, <modulesDir>/build. */
  readonly build: string;
}

function releasePaths(release: string): ReleasePaths {
  const modulesDir = `/usr/lib/modules/${release}`;
  return { release, modulesDir, build: `${modulesDir}/build` };
}

/** Where the kernel package puts the kernel: vmlinuz beside the modules, where systemd and mkinitcpio look. */
export function pacmanKernelFile(release: string): string {
  return `${releasePaths(release).modulesDir}/vmlinuz`;
}

/** <pkgbase>: the modules, vmlinuz beside them and the pkgbase file mkinitcpio reads, the device trees. */
function kernelPackage(base: PacmanBase, parts: KernelParts, paths: ReleasePaths, pkgbase: string): PackageDescription {
  const image = requirePart(parts, 'image');
  const text = bytes(`${pkgbase}\n`);
  return {
    ...base,
    summary: 'The Upstream Linux kernel and modules',
    entries: [
      // modules_install DEPMOD=true: the alpm hook runs depmod.
      ...modulesDirEntries(image.modules, paths.release, paths.modulesDir, { withoutDepmodOutputs: true }),
      stagedDataFile(pacmanKernelFile(paths.release), image.bootImage),
      {
        kind: 'file',
        path: `${paths.modulesDir}/pkgbase`,
        mode: 0o644,
        size: text.length,
        source: { from: 'bytes', data: text },
      },
      ...image.dtbs.map((item) => stagedEntry(item, `${paths.modulesDir}/dtb/${item.path}`)),
    ],
  };
}

/** <pkgbase>-headers: the headers tree at build/, System.map and .config in it, /usr/src/<pkgbase> pointing at it. */
function headersPackage(
  base: PacmanBase,
  parts: KernelParts,
  paths: ReleasePaths,
  pkgbase: string,
  runtime: PackageDescription['depends'],
): PackageDescription {
  const headers = requirePart(parts, 'headers');
  const shipped = new Set(headers.entries.map((e) => e.path));
  const { build } = paths;
  return {
    ...base,
    summary: 'Headers and scripts for building modules for the Upstream Linux kernel',
    depends: runtime,
    entries: [
      { kind: 'dir', path: build, mode: 0o755 },
      ...headersTreeEntries(headers, build, PLAIN_COMPILER_NAMES),
      // The PKGBUILD copies System.map and .config into the tree.
      ...(shipped.has('System.map') ? [] : [stagedDataFile(`${build}/System.map`, parts.systemMap)]),
      ...(shipped.has('.config') ? [] : [stagedDataFile(`${build}/.config`, parts.config)]),
      { kind: 'symlink', path: `/usr/src/${pkgbase}`, target: posix.relative('/usr/src', build) },
    ],
  };
}

/** <pkgbase>-api-headers: the UAPI headers under /usr/include, providing linux-api-headers. */
function apiHeadersPackage(base: PacmanBase, parts: KernelParts, set: PackageSet): PackageDescription {
  const { version } = splitVersion(pacmanVersion(set));
  return {
    ...base,
    summary: 'Kernel headers sanitized for use in userspace',
    provides: [{ name: 'linux-api-headers', version: { op: '=', version } }],
    conflicts: [{ name: 'linux-api-headers' }],
    entries: requirePart(parts, 'uapi').map((item) => stagedEntry(item, `/usr/${item.path}`)),
  };
}

/** <pkgbase>-debug: the unstripped vmlinux under /usr/src/debug, linked from the headers tree. */
function debugPackage(base: PacmanBase, parts: KernelParts, paths: ReleasePaths, pkgbase: string): PackageDescription {
  const debugDir = `/usr/src/debug/${pkgbase}`;
  const { build } = paths;
  return {
    ...base,
    summary: 'Non-stripped vmlinux file for the Upstream Linux kernel',
    entries: [
      stagedDataFile(`${debugDir}/vmlinux`, parts.vmlinux),
      { kind: 'symlink', path: `${build}/vmlinux`, target: posix.relative(build, `${debugDir}/vmlinux`) },
    ],
  };
}

export function pacmanLayout(pkgbase: string = DEFAULT_PKGBASE): DistributionLayout<PacmanPackageKind> {
  const names: Readonly<Record<PacmanPackageKind, string>> = {
    kernel: pkgbase,
    headers: `${pkgbase}-headers`,
    'api-headers': `${pkgbase}-api-headers`,
    debug: `${pkgbase}-debug`,
  };
  return {
    family: 'pacman',
    kinds: PACMAN_PACKAGE_KINDS,
    partsOf: (kind) => PARTS[kind],
    notApplicable: (kind, features) =>
      kind === 'headers'
        ? NOT_APPLICABLE.headers(features)
        : kind === 'debug'
          ? NOT_APPLICABLE.debug(features)
          : undefined,
    runtimeRelations({ needs, compiler }) {
      const { depends, unknown } = archDepends(needs);
      // The plugins' gcc build is not named: Arch's gcc package versions are not the plugin headers' (Debian's or --plugin-sysroot's).
      return Promise.resolve({
        depends: [...depends, ...compilerRelations(compiler, PLAIN_COMPILER_NAMES)],
        warnings: unknown.map(
          (soname) => `no Arch Linux package is known to provide ${soname}: ${names.headers} does not depend on it`,
        ),
      });
    },
    describe(kind, parts, { arch, set, runtime }) {
      const base: PacmanBase = {
        name: names[kind],
        version: pacmanVersion(set),
        arch: arch.debian,
        description: '',
        maintainer: set.maintainer,
        homepage: 'https://www.kernel.org/',
        license: 'GPL-2.0-only',
        mtime: set.mtime,
        pacman: { pkgbase },
      };
      const paths = releasePaths(set.release);
      switch (kind) {
        case 'kernel':
          return kernelPackage(base, parts, paths, pkgbase);
        case 'headers':
          return headersPackage(base, parts, paths, pkgbase, runtime);
        case 'api-headers':
          return apiHeadersPackage(base, parts, set);
        case 'debug':
          return debugPackage(base, parts, paths, pkgbase);
      }
    },
  };
}
