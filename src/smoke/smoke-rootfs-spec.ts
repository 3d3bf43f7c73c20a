import { hostDebianMirror } from '../apt/sources.js';
import type { KernelCompiler } from '../kernel/compiler.js';
import { PLAIN_COMPILER_NAMES } from '../layouts/compiler.js';
import { defaultTargetSuite, hostRelease } from '../apt/target-release.js';
import { installerFor } from './detect.js';
import { neededLibraryPackages } from './install/library-packages.js';
import type { Installer } from './install/installer.js';
import { BASE_COMPILER, BASE_PACKAGES, FOREIGN_INSTALLERS, type RootfsSpec } from './rootfs.js';

export interface SmokeRootfsInput {
  readonly debianArch: string;
  /** The packages to install (host paths): .debs, .rpms, pacman packages or tarballs, one format. */
  readonly packages: readonly string[];
  /** Their installer; default: found from the files (installerFor). */
  readonly installer?: Installer | undefined;
  readonly cacheDir: string;
  readonly suite?: string | undefined;
  readonly extraPackages?: readonly string[] | undefined;
  readonly mirror?: string | undefined;
  /** The kernel's compiler: for the formats whose relations name no Debian package, brought by its plain name. */
  readonly compiler?: KernelCompiler | undefined;
  /** Leave BASE_COMPILER out: the compiler comes from the packages' relations (a .deb's Depends) or their facts. */
  readonly bareRootfs?: boolean | undefined;
}

/**
 * The rootfs a smoke run of `packages` needs: BASE_PACKAGES (without its compiler for a bare rootfs), the extra packages, and what the
 * installer needs to install them with no network: for .debs whatever they depend on outside
 * themselves; for .rpm the rootfs's rpm, for pacman packages its pacman, for tarballs the
 * decompressor GNU tar calls. Nothing the headers' own programs need is listed by hand: for .debs
 * it arrives through their Depends (libelf1, libssl3, the gcc build that loads the GCC plugins),
 * which is what the smoke run proves; for the other formats through the sonames their ELF files
 * need (install/library-packages.ts).
 */
export async function smokeRootfsSpec(input: SmokeRootfsInput): Promise<RootfsSpec> {
  const installer = input.installer ?? (await installerFor(input.packages));
  const suite = input.suite ?? defaultTargetSuite(input.debianArch, await hostRelease());
  const mirror = input.mirror ?? (await hostDebianMirror());
  // A .deb brings its own Depends (rootfsPackages); the other formats' relations name no Debian
  // package, and their installers bring libelf1 themselves (so the bare rootfs is the deb's only).
  // Their compiler: the plain names they declare (layouts/compiler.ts) are Debian's packages too.
  const foreign =
    installer.format === 'deb'
      ? []
      : [
          ...FOREIGN_INSTALLERS,
          ...(await neededLibraryPackages(input.packages, { debianArch: input.debianArch, suite, mirror })),
          ...(input.compiler === undefined ? [] : PLAIN_COMPILER_NAMES.packages(input.compiler)),
        ];
  const base = input.bareRootfs === true ? BASE_PACKAGES.filter((p) => !BASE_COMPILER.includes(p)) : BASE_PACKAGES;
  const packages = [
    ...new Set([
      ...base,
      ...(input.extraPackages ?? []),
      ...(await installer.rootfsPackages(input.packages)),
      ...foreign,
    ]),
  ].sort();
  return { debianArch: input.debianArch, suite, packages, mirror, cacheDir: input.cacheDir };
}
