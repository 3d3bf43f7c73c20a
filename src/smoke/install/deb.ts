import { basename } from 'node:path';
import { bootInstallPathFor } from '../../arch/kconfig.js';
import { dependenciesOutside, readDebControl } from './deb-depends.js';
import { headersDebsFacts } from './headers-debs.js';
import type { Installer } from './installer.js';
import { outputLines, ScriptNoteCollector, type RunningScript, type ScriptNote } from './script-notes.js';

const DPKG_INSTALL = ['dpkg', '--force-unsafe-io', '--install'] as const;
/** The headers debs: linux-headers-* and, in Debian's split layout, linux-kbuild-*. */
const HEADERS_DEB = /^linux-(headers|kbuild)-/;

/** dpkg's words for a maintainer script, in its failure message, and the script's name. */
const DPKG_SCRIPTS: Readonly<Record<string, string>> = {
  'pre-installation': 'preinst',
  'post-installation': 'postinst',
  'pre-removal': 'prerm',
  'post-removal': 'postrm',
};

/** "Preparing to unpack .../linux-headers-6.12.95_6.12.95-1_arm64.deb ...": the preinst runs next. */
const PREPARING = /^Preparing to unpack (.+) \.\.\.$/;
/** "Setting up <package> (<version>) ...": the postinst runs next (configure); triggers run it too. */
const CONFIGURING = /^(?:Setting up|Processing triggers for) (\S+) \(/;
/** "Unpacking <package> (<version>) ...": the preinst is over; dpkg unpacks. */
const UNPACKING = /^Unpacking \S+ \(/;
/**
 * dpkg's failure of a script (src/main/script.c, src/common/subproc.c): " installed <package>
 * package post-installation script subprocess returned error exit status 1", "... was killed by
 * signal (Killed)"; "new" and "old" for the package being installed and the one it replaces.
 */
const SCRIPT_FAILED =
  /^ ?(?:dpkg: warning: )?(?:installed|new|old) (\S+) package (pre-installation|post-installation|pre-removal|post-removal) script subprocess (returned error (exit status \d+)|was (killed by signal \(.*\)(?:, core dumped)?))/;

/** The package a deb file is, by Debian's file name: linux-headers-6.12.95_6.12.95-1_arm64.deb. */
function packageOfDebFile(path: string): string {
  const file = path.slice(path.lastIndexOf('/') + 1);
  const underscore = file.indexOf('_');
  return underscore > 0 ? file.slice(0, underscore) : file;
}

/**
 * What the maintainer scripts of a `dpkg --install` did, from its output: dpkg says which
 * package it prepares (its preinst runs) and sets up (its postinst runs), and names the script
 * that failed. Lines dpkg itself prints ("dpkg: ...") are not a script's.
 */
export function dpkgScriptNotes(output: string): ScriptNote[] {
  const notes = new ScriptNoteCollector();
  let running: RunningScript | undefined;
  for (const line of outputLines(output)) {
    const failure = SCRIPT_FAILED.exec(line);
    if (failure !== null) {
      const [, pkg = '', description = '', , exit, signal] = failure;
      notes.failed({ package: pkg, script: DPKG_SCRIPTS[description] ?? description }, exit ?? signal);
      running = undefined;
      continue;
    }
    const preparing = PREPARING.exec(line);
    const configuring = CONFIGURING.exec(line);
    if (preparing !== null || configuring !== null || UNPACKING.test(line)) {
      notes.startScript();
      running =
        preparing !== null
          ? { package: packageOfDebFile(preparing[1] ?? ''), script: 'preinst' }
          : configuring !== null
            ? { package: configuring[1], script: 'postinst' }
            : undefined;
      continue;
    }
    if (!line.startsWith('dpkg: ')) notes.line(running, line);
  }
  return notes.notes();
}

/** .deb: the rootfs's dpkg; the debs' Depends outside themselves go into the rootfs beforehand. */
export const debInstaller: Installer = {
  format: 'deb',
  program: 'dpkg',
  summary: 'dpkg -i',
  async rootfsPackages(files) {
    return dependenciesOutside(await Promise.all(files.map((deb) => readDebControl(deb))));
  },
  commands(files) {
    // The headers last, as on a machine that gets them after its kernel: their header_postinst.d
    // hooks (dkms) then meet an installed image, whose own hooks met no headers.
    const headers = files.filter((file) => HEADERS_DEB.test(basename(file)));
    const rest = files.filter((file) => !headers.includes(file));
    // unsafe-io: no fsync per file; this rootfs is thrown away anyway (saves much of dpkg's time under qemu).
    return [rest, headers].filter((group) => group.length > 0).map((group) => [...DPKG_INSTALL, ...group]);
  },
  // linux-image-<release> installs it as /boot/<the arch's image name>-<release> (layouts/deb/image.ts).
  scriptNotes: dpkgScriptNotes,
  kernelFile: bootInstallPathFor,
  facts: (files) => headersDebsFacts(files),
};
