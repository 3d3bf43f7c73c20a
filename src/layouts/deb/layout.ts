/** The Debian layout: the packages scripts/package/mkdebian and builddeb describe. */
import type { KernelPart } from '../../kernel/parts.js';
import { NOT_APPLICABLE, requirePart, type DistributionLayout } from '../layout.js';
import { changelogEntry, debianVersion } from './common.js';
import { dbgPackage } from './dbg.js';
import { headersPackage } from './headers.js';
import { imagePackage } from './image.js';
import { libcDevPackage } from './libc-dev.js';
import { debianRuntimeRelations } from './runtime.js';
import { DEFAULT_DEBIAN_SETTINGS, type DebianSettings } from './settings.js';

/** linux-image, linux-headers, linux-libc-dev, linux-image-dbg — in the order they are written. */
export const DEB_PACKAGE_KINDS = ['image', 'headers', 'libc-dev', 'dbg'] as const;
export type DebPackageKind = (typeof DEB_PACKAGE_KINDS)[number];

const PARTS: Readonly<Record<DebPackageKind, readonly KernelPart[]>> = {
  image: ['image'],
  headers: ['headers'],
  'libc-dev': ['uapi'],
  dbg: ['debug'],
};

/** The Debian layout with a packager's settings (source name, distribution, urgency, hook directory). */
export function debianLayoutWith(settings: DebianSettings): DistributionLayout<DebPackageKind> {
  return {
    family: 'deb',
    kinds: DEB_PACKAGE_KINDS,
    partsOf: (kind) => PARTS[kind],
    notApplicable: (kind, features) =>
      kind === 'headers'
        ? NOT_APPLICABLE.headers(features)
        : kind === 'dbg'
          ? NOT_APPLICABLE.debug(features)
          : undefined,
    runtimeRelations: debianRuntimeRelations,
    describeSet: ({ set }) => ({
      source: settings.sourceName,
      version: debianVersion(set),
      distribution: settings.distribution,
      urgency: settings.urgency,
      maintainer: set.maintainer,
      changes: changelogEntry(set, settings),
      mtime: set.mtime,
      // mkdebian's source stanza.
      section: 'kernel',
      priority: 'optional',
    }),
    describe(kind, parts, { arch, set, runtime }) {
      switch (kind) {
        case 'image':
          return imagePackage(requirePart(parts, 'image'), arch, set, settings);
        case 'headers':
          return headersPackage(requirePart(parts, 'headers'), arch, set, runtime, settings);
        case 'libc-dev':
          return libcDevPackage(requirePart(parts, 'uapi'), arch, set, settings);
        case 'dbg':
          return dbgPackage(requirePart(parts, 'debug'), set.release, arch, set, settings);
      }
    },
  };
}

/** The Debian layout with upstream's defaults. */
export const debLayout = debianLayoutWith(DEFAULT_DEBIAN_SETTINGS);
