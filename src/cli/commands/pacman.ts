import type { Command } from 'commander';
import { isPacmanPackageName } from '../../formats/pacman/names.js';
import { pacmanPackager } from '../../formats/pacman/write-pacman.js';
import { pacmanLayout, PACMAN_PACKAGE_KINDS, DEFAULT_PKGBASE } from '../../layouts/pacman/layout.js';
import { KpkgError } from '../../util/errors.js';
import { registerPackageCommand } from './package-command.js';

function pkgbaseOf(value: string | undefined): string {
  const pkgbase = value ?? process.env.PACMAN_PKGBASE ?? DEFAULT_PKGBASE;
  if (!isPacmanPackageName(pkgbase)) throw new KpkgError(`"${pkgbase}" is not a valid pacman package base`, { hint: 'use letters, digits and @ . _ + - (not first: - or .)', exitCode: 2 });
  return pkgbase;
}

export function registerPacman(program: Command): void {
  registerPackageCommand<string, { pkgbase?: string }>(program, {
    name: 'pacman',
    description: "write the pacman packages of a built kernel as upstream's PKGBUILD splits them: <pkgbase>, <pkgbase>-headers (host programs rebuilt for the target and checked), <pkgbase>-api-headers and, with CONFIG_DEBUG_INFO, <pkgbase>-debug",
    packager: pacmanPackager,
    layout: (options) => pacmanLayout(pkgbaseOf(options.pkgbase)),
    kinds: PACMAN_PACKAGE_KINDS,
    versionHelp: "as the PKGBUILD: <release with '-rcN' made 'rcN' and '-' made '_'>-<build number>",
    extraOptions: (command) => command.option('--pkgbase <name>', `the package base, like PACMAN_PKGBASE (default: ${DEFAULT_PKGBASE})`),
    helpAfter: "The rebuilt host programs link the target libraries kpkg builds with (Debian's archive, or --sysroot): for an Arch Linux ARM userland, pass its root as --sysroot (and --plugin-sysroot for GCC plugins).",
  });
}
