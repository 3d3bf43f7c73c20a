/**
 * The tarball layout: what `make tar-pkg` (scripts/package/buildtar) lays out — boot/ with the
 * boot image, System.map, config and vmlinux, lib/modules/<release>/ as modules_install writes it
 * (depmod's indexes included), boot/dtbs/<release>/ — plus, unlike buildtar, the headers tree at
 * lib/modules/<release>/build with its host programs rebuilt for the target, so that modules
 * build on the machine the tarball is unpacked on. Paths are relative to the root it is
 * unpacked at; the tar writer writes them without a leading '/'.
 */
import type { KernelPart } from '../../kernel/parts.js';
import { PLAIN_COMPILER_NAMES } from '../compiler.js';
import { headersTreeEntries } from '../headers-tree.js';
import { noRuntimeRelations, requirePart, type DistributionLayout } from '../layout.js';
import { modulesDirEntries } from '../modules-dir.js';
import { stagedDataFile, stagedEntry } from '../staged-entries.js';

export type TarKind = 'tarball';

export interface TarballLayoutOptions {
  /** Ship the headers tree at lib/modules/<release>/build (default: yes, with CONFIG_MODULES). */
  headers: boolean;
}

export function tarLayout(options: TarballLayoutOptions): DistributionLayout<TarKind> {
  return {
    family: 'tar',
    kinds: ['tarball'],
    partsOf: (): readonly KernelPart[] => (options.headers ? ['image', 'headers'] : ['image']),
    notApplicable: (_kind, features) =>
      options.headers && !features.modules
        ? 'the kernel is built without CONFIG_MODULES, so there is no headers tree to ship; pass --no-headers'
        : undefined,
    // A tarball has no metadata: what its headers' programs need is for the user to install.
    runtimeRelations: noRuntimeRelations,
    describe(_kind, parts, { arch, set }) {
      const { release } = set;
      const image = requirePart(parts, 'image');
      const bootImage = `/boot/${image.bootImage.bootName}`;
      const vmlinux = `/boot/vmlinux-${release}`;
      const dtbDir = `/boot/dtbs/${release}`;
      return {
        // buildtar's archive name: linux-<release>-<ARCH>.tar[.gz|.xz|.zst]
        name: `linux-${release}-${arch.kernelArch}`,
        version: release,
        arch: arch.debian,
        summary: `Linux kernel ${release} for ${arch.debian}`,
        description: '',
        maintainer: set.maintainer,
        mtime: set.mtime,
        entries: [
          { kind: 'dir', path: '/boot', mode: 0o755 },
          stagedDataFile(bootImage, image.bootImage),
          stagedDataFile(`/boot/System.map-${release}`, image.systemMap),
          stagedDataFile(`/boot/config-${release}`, image.config),
          // buildtar also ships the ELF image; an ELF boot image already has that name.
          ...(bootImage === vmlinux ? [] : [stagedDataFile(vmlinux, parts.vmlinux)]),
          ...(image.dtbs.length === 0
            ? []
            : [
                { kind: 'dir', path: dtbDir, mode: 0o755 } as const,
                ...image.dtbs.map((item) => stagedEntry(item, `${dtbDir}/${item.path}`)),
              ]),
          ...image.modules
            .filter((item) => !item.path.startsWith(`lib/modules/${release}`))
            .map((item) => stagedEntry(item, `/${item.path}`)),
          ...modulesDirEntries(image.modules, release, `/lib/modules/${release}`),
          ...(parts.headers === undefined
            ? []
            : [
                { kind: 'dir', path: `/lib/modules/${release}/build`, mode: 0o755 } as const,
                ...headersTreeEntries(parts.headers, `/lib/modules/${release}/build`, PLAIN_COMPILER_NAMES),
              ]),
        ],
      };
    },
  };
}
