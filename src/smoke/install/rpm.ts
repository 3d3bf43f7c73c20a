import { rpmKernelFile } from '../../layouts/rpm/layout.js';
import { archiveFacts } from './archive-facts.js';
import type { Installer } from './installer.js';
import { outputLines, ScriptNoteCollector, type RunningScript, type ScriptNote } from './script-notes.js';

/**
 * Debian's rpm keeps its database in ~/.rpmdb unless told otherwise (its %_dbpath); kpkg names
 * the system's own place, initialises it (rpm 4.18's sqlite database) and installs there.
 */
export const RPM_DBPATH = '/var/lib/rpm';

/** A line of one word without path or punctuation rpm's messages have, as a package's NEVRA is. */
const ONE_NAME = /^[^\s/:()]+$/;

/**
 * Whether `line` is what `rpm -i -v` prints as it starts installing a package, its
 * name-version-release.arch: "kernel-devel-6.12.95-1.x86_64". Read from the right (no
 * backtracking over a hostile line).
 */
function isPackageStart(line: string): boolean {
  if (!ONE_NAME.test(line)) return false;
  const dot = line.lastIndexOf('.');
  const release = line.lastIndexOf('-', dot);
  const version = line.lastIndexOf('-', release - 1);
  return dot < line.length - 1 && release > version + 1 && dot > release + 1 && version > 0;
}
/**
 * rpm's failure of a scriptlet (lib/rpmscript.c), as an error or a warning: "%prein(<nevra>)
 * scriptlet failed, exit status 3", "... signal 9", "... waitpid(...) rc ...".
 */
const SCRIPTLET_FAILED = /^(?:error|warning): (%\w+)\(([^()\s]+)\) scriptlet failed(?:, (.*))?$/;
/** rpm's own lines: its stages, and its errors and warnings ("rpm: " is Debian's note that rpm is not dpkg). */
const RPM_OWN = /^(?:(?:error|warning|rpm): |(?:Verifying|Preparing) packages\.\.\.$|Updating \/ installing\.\.\.$)/;
/** The scriptlet that may be running after rpm announced a package: its %post, or the next package's %pre, or a %posttrans. */
const AFTER_ANNOUNCED = 'scriptlet';
/** Before rpm announced a package: a %pretrans, or the first package's %pre. */
const BEFORE_ANY: RunningScript = { package: undefined, script: "%pretrans or the first package's %pre" };

/**
 * What the scriptlets of an `rpm -i -v` did, from its output. rpm names the scriptlet that
 * failed; a scriptlet's other output comes unnamed, so a denied line is given to the package rpm
 * announced last (-v prints each one as it starts it): its %post, or the %pre of the package it
 * announces next, or a %posttrans. Lines rpm itself prints (RPM_OWN) are not a scriptlet's.
 */
export function rpmScriptNotes(output: string): ScriptNote[] {
  const notes = new ScriptNoteCollector();
  let running: RunningScript = BEFORE_ANY;
  for (const line of outputLines(output)) {
    const failure = SCRIPTLET_FAILED.exec(line);
    if (failure !== null) {
      notes.failed({ package: failure[2], script: failure[1] ?? 'scriptlet' }, failure[3]);
      continue;
    }
    if (isPackageStart(line)) {
      notes.startScript();
      running = { package: line, script: AFTER_ANNOUNCED };
      continue;
    }
    if (!RPM_OWN.test(line)) notes.line(running, line);
  }
  return notes.notes();
}

/**
 * .rpm: the rootfs's own rpm (Debian's `rpm` package). --nodeps: the packages require what a
 * Fedora or openSUSE system provides (and rpmlib features), none of which a Debian rpm database
 * lists; what the module build needs is in the rootfs as Debian packages. -v: rpm names each
 * package as it installs it, which tells whose scriptlet printed what (rpmScriptNotes).
 */
export const rpmInstaller: Installer = {
  format: 'rpm',
  program: 'rpm',
  summary: `rpm -i -v --nodeps (the rootfs's own rpm, database in ${RPM_DBPATH})`,
  rootfsPackages: () => Promise.resolve(['rpm']),
  commands: (files) => [
    ['rpm', '--dbpath', RPM_DBPATH, '--initdb'],
    ['rpm', '--dbpath', RPM_DBPATH, '-i', '-v', '--nodeps', ...files],
  ],
  scriptNotes: rpmScriptNotes,
  kernelFile: (_arch, release) => rpmKernelFile(release),
  facts: (files) => archiveFacts(files),
};
