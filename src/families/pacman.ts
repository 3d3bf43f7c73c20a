import { isPacmanPackageName } from '../formats/pacman/names.js';
import { pacmanPackager } from '../formats/pacman/write-pacman.js';
import {
  DEFAULT_PKGBASE,
  PACMAN_PACKAGE_KINDS,
  pacmanLayout,
  type PacmanPackageKind,
} from '../layouts/pacman/layout.js';
import { pacmanInstaller } from '../smoke/install/pacman.js';
import { KpkgError } from '../util/errors.js';
import { CONTAINER_READERS } from '../reader/open.js';
import type { Family } from './family.js';

/** --pkgbase, else PACMAN_PKGBASE, else the default; a name makepkg refuses is a usage error. */
export function pkgbaseOf(value: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const pkgbase = value ?? env.PACMAN_PKGBASE ?? DEFAULT_PKGBASE;
  if (!isPacmanPackageName(pkgbase)) {
    throw new KpkgError(`"${pkgbase}" is not a valid pacman package base`, {
      hint: 'use letters, digits and @ . _ + - (not first: - or .)',
      exitCode: 2,
    });
  }
  return pkgbase;
}

/** pacman packages: the split packages of upstream's scripts/package/PKGBUILD, for Arch Linux and its ports. */
export const pacmanFamily: Family<PacmanPackageKind, { pkgbase?: string }> = {
  id: 'pacman',
  distribution: "Arch Linux and its ports (Arch Linux ARM ...), as upstream's PKGBUILD splits them",
  kinds: PACMAN_PACKAGE_KINDS,
  layout: (options) => pacmanLayout(pkgbaseOf(options.pkgbase)),
  packager: pacmanPackager,
  smokeInstaller: pacmanInstaller,
  // A pacman package is a compressed tar (.pkg.tar.zst/.xz/.gz); its .PKGINFO makes the tar reader call it pacman.
  verifyReader: CONTAINER_READERS.tar,
  command: {
    description:
      "write the pacman packages of a built kernel as upstream's PKGBUILD splits them: <pkgbase>, <pkgbase>-headers (host programs rebuilt for the target and checked), <pkgbase>-api-headers and, with CONFIG_DEBUG_INFO, <pkgbase>-debug",
    versionHelp: "as the PKGBUILD: <release with '-rcN' made 'rcN' and '-' made '_'>-<build number>",
    extraOptions: (command) =>
      command.option('--pkgbase <name>', `the package base, like PACMAN_PKGBASE (default: ${DEFAULT_PKGBASE})`),
    helpAfter:
      "The rebuilt host programs link the target libraries kpkg builds with (Debian's archive, or --sysroot): for an Arch Linux ARM userland, pass its root as --sysroot (and --plugin-sysroot for GCC plugins).",
  },
};
