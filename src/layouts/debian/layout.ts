/** The Debian layout: the packages scripts/package/mkdebian and builddeb describe. */
import type { KernelPart } from '../../kernel/parts.js';
import { NOT_APPLICABLE, requirePart, type DistributionLayout } from '../layout.js';
import { dbgPackage } from './dbg.js';
import { headersPackage } from './headers.js';
import { imagePackage } from './image.js';
import { libcDevPackage } from './libc-dev.js';
import { debianRuntimeRelations } from './runtime.js';

/** linux-image, linux-headers, linux-libc-dev, linux-image-dbg — in the order they are written. */
export const DEB_PACKAGE_KINDS = ['image', 'headers', 'libc-dev', 'dbg'] as const;
export type DebPackageKind = (typeof DEB_PACKAGE_KINDS)[number];

const PARTS: Readonly<Record<DebPackageKind, readonly KernelPart[]>> = { image: ['image'], headers: ['headers'], 'libc-dev': ['uapi'], dbg: ['debug'] };

export const debianLayout: DistributionLayout<DebPackageKind> = {
  family: 'debian',
  kinds: DEB_PACKAGE_KINDS,
  partsOf: (kind) => PARTS[kind],
  notApplicable: (kind, features) => (kind === 'headers' ? NOT_APPLICABLE.headers(features) : kind === 'dbg' ? NOT_APPLICABLE.debug(features) : undefined),
  runtimeRelations: debianRuntimeRelations,
  describe(kind, parts, { arch, set, runtime }) {
    switch (kind) {
      case 'image':
        return imagePackage(requirePart(parts, 'image'), arch, set);
      case 'headers':
        return headersPackage(requirePart(parts, 'headers'), arch, set, runtime);
      case 'libc-dev':
        return libcDevPackage(requirePart(parts, 'uapi'), arch, set);
      case 'dbg':
        return dbgPackage(requirePart(parts, 'debug'), set.release, arch, set);
    }
  },
};
