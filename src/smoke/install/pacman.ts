import { ARCHES } from '../../arch/arch-table.js';
import { pacmanKernelFile } from '../../layouts/pacman/layout.js';
import { archiveFacts } from './archive-facts.js';
import type { Installer } from './installer.js';

export const PACMAN_CONF = '/tmp/kpkg-pacman.conf';

/**
 * The pacman.conf kpkg installs with, instead of Debian's /etc/pacman.conf: that one has
 * CheckSpace, which needs /etc/mtab (absent in the chroot: "could not determine filesystem mount
 * points"). No repositories, no signature checks (kpkg's packages are unsigned, the files are
 * given). Architecture: the emulated uname -m (auto) and every pacman name kpkg knows (armv7h is
 * not what uname -m says on armhf): whether the programs are for the target is what `check
 * binaries` proves, not pacman's name check.
 */
export function pacmanConf(): string {
  const arches = [...new Set(ARCHES.flatMap((a) => (a.pacman === undefined ? [] : [a.pacman])))];
  return [
    '# written by kpkg smoke',
    '[options]',
    `Architecture = auto ${arches.join(' ')}`,
    'SigLevel = Never',
    'LocalFileSigLevel = Never',
    '',
  ].join('\n');
}

/** Lines of pacman's output that mean a file was not installed as packaged although it exited 0. */
export function pacmanProblems(output: string): string[] {
  return output.split('\n').filter((line) => /^warning:|skipping extraction|^error:/.test(line.trim()));
}

/**
 * pacman packages: the rootfs's own pacman (Debian's pacman-package-manager) with its own
 * database, cache and log under the usual paths. --nodeps twice: no dependency version checks
 * and no dependency checks at all (an Arch Linux package depends on Arch Linux's packages).
 */
export const pacmanInstaller: Installer = {
  format: 'pacman',
  program: 'pacman',
  summary: "pacman -U --nodeps --nodeps (the rootfs's own pacman)",
  rootfsPackages: () => Promise.resolve(['pacman-package-manager']),
  setupFiles: () => ({ [PACMAN_CONF]: pacmanConf() }),
  commands: (files) => [
    ['mkdir', '-p', '/var/lib/pacman', '/var/cache/pacman/pkg', '/var/log'],
    [
      'pacman',
      '-U',
      '--noconfirm',
      '--nodeps',
      '--nodeps',
      '--config',
      PACMAN_CONF,
      '--dbpath',
      '/var/lib/pacman',
      '--cachedir',
      '/var/cache/pacman/pkg',
      '--logfile',
      '/var/log/pacman.log',
      ...files,
    ],
  ],
  problemIn(output) {
    const problems = pacmanProblems(output);
    return problems.length === 0
      ? undefined
      : `pacman did not install everything as packaged:\n${problems.slice(0, 10).join('\n')}`;
  },
  kernelFile: (_arch, release) => pacmanKernelFile(release),
  facts: (files) => archiveFacts(files),
};
