import { ARCHES } from '../../arch/arch-table.js';
import { pacmanKernelFile } from '../../layouts/pacman/layout.js';
import { archiveFacts } from './archive-facts.js';
import type { Installer } from './installer.js';
import { outputLines, ScriptNoteCollector, type RunningScript, type ScriptNote } from './script-notes.js';

export const PACMAN_CONF = '/tmp/kpkg-pacman.conf';

/**
 * The pacman.conf kpkg installs with, instead of Debian's /etc/pacman.conf: that one has
 * CheckSpace, which needs /etc/mtab (absent in the rootfs: "could not determine filesystem mount
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
 * "installing linux-headers..." (without a terminal; "(1/1) installing linux-headers" with one):
 * the package's install script (.INSTALL: pre_install, then post_install) runs next.
 */
const PACKAGE_STARTS =
  /^(?:\(\s*\d+\/\d+\) )?(?:installing|upgrading|reinstalling|downgrading|removing) (\S+?)(?:\.\.\.)?(?:\s|$)/;
/** ":: Running post-transaction hooks...", then "(1/2) <the hook's Description>" as each runs. */
const HOOKS_START = /^:: Running (?:pre|post)-transaction hooks\.\.\.$/;
const HOOK_STARTS = /^\(\s*\d+\/\d+\) (.+)$/;
/** pacman's own ldconfig, run after the packages are installed. */
const LDCONFIG: RunningScript = { package: undefined, script: "pacman's ldconfig" };
/** libalpm's words for a script or hook that did not exit 0 (lib/libalpm/util.c, _alpm_run_chroot). */
const SCRIPT_FAILED = /^error: command failed to execute correctly$/;

/** Which script runs once `line` is printed, when the line says; `current` otherwise. */
function pacmanRunning(line: string, current: RunningScript | undefined, inHooks: boolean): RunningScript | undefined {
  const starts = PACKAGE_STARTS.exec(line);
  if (!inHooks && starts !== null) return { package: starts[1], script: '.INSTALL' };
  const hook = inHooks ? HOOK_STARTS.exec(line) : null;
  if (hook !== null) return { package: undefined, script: `hook "${hook[1] ?? ''}"` };
  if (line.startsWith('ldconfig: ') && !inHooks) return LDCONFIG;
  return current;
}

/**
 * What the install scripts and hooks of a `pacman -U` did, from its output: pacman says which
 * package it installs (its .INSTALL's pre_install and post_install run then) and which hook it
 * runs, and says "command failed to execute correctly" when one of them fails. Lines pacman itself
 * prints ("warning: ", "error: ") are not a script's.
 */
export function pacmanScriptNotes(output: string): ScriptNote[] {
  const notes = new ScriptNoteCollector();
  let running: RunningScript | undefined;
  let inHooks = false;
  for (const line of outputLines(output)) {
    if (SCRIPT_FAILED.test(line)) {
      if (running !== undefined) notes.failed(running, undefined);
      continue;
    }
    if (HOOKS_START.test(line)) {
      inHooks = true;
      running = undefined;
      notes.startScript();
      continue;
    }
    const next = pacmanRunning(line, running, inHooks);
    if (next !== running) {
      notes.startScript();
      running = next;
      if (next !== LDCONFIG) continue;
    }
    if (!/^(?:warning|error): /.test(line)) notes.line(running, line);
  }
  return notes.notes();
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
  scriptNotes: pacmanScriptNotes,
  kernelFile: (_arch, release) => pacmanKernelFile(release),
  facts: (files) => archiveFacts(files),
};
