/**
 * How `kpkg smoke` installs the packages it proves, one installer per input format: the rootfs
 * packages the installer itself needs, the commands that install the files inside the target
 * rootfs (with the target's own dpkg, rpm, pacman or tar), and what the packages say about the
 * kernel they are for. smoke.ts only picks the installer (installerFor in ./detect.ts).
 */
import type { ArchInfo } from '../../arch/arch-table.js';
import type { KernelCompiler } from '../../kernel/compiler.js';
import type { FamilyId } from '../../package/family.js';
import type { ScriptNote } from './script-notes.js';

/** Input formats `kpkg smoke` installs: one per family. */
export type SmokeInputFormat = FamilyId;

/** What `kpkg smoke` needs to know about the headers packages it is given. */
export interface HeadersFacts {
  /** The release modules are built for: make -C /lib/modules/<release>/build. */
  release: string;
  /** Debian architecture of the target (arm64, armhf, ppc64el ...), from the packages. */
  debianArch: string;
  /** The compiler the kernel was built with (the shipped configuration), which modules are built with too. */
  compiler: KernelCompiler | undefined;
}

export interface Installer {
  readonly format: SmokeInputFormat;
  /** The rootfs's program that installs: dpkg, rpm, pacman, tar. */
  readonly program: string;
  /** What runs, for the 'install' step's detail, e.g. "rpm -i --nodeps (the rootfs's rpm)". */
  readonly summary: string;
  /**
   * Debian packages the rootfs needs (on top of BASE_PACKAGES) so that the installer works offline
   * for `files` (host paths): the installer itself, and the packages' own dependencies where the
   * format declares them in Debian's terms (deb).
   */
  rootfsPackages(files: readonly string[]): Promise<string[]>;
  /** Files written into the rootfs before the commands run: path in the rootfs → contents. */
  setupFiles?(): Readonly<Record<string, string>>;
  /** Commands run in the rootfs, in order; `files` are the packages' paths inside the rootfs. */
  commands(files: readonly string[]): string[][];
  /**
   * A problem the output of a command shows although it exited 0 (pacman's "warning:" lines:
   * a file it did not extract); undefined when there is none.
   */
  problemIn?(output: string): string | undefined;
  /**
   * What the packages' maintainer scripts did in a command's whole output (./script-notes.ts):
   * the scripts that failed and those denied something; absent for formats that run no scripts (tar).
   */
  scriptNotes?(output: string): ScriptNote[];
  /** Where this family's image package puts the kernel a bootloader loads (a path in the target; kpkg smoke --boot boots it). */
  kernelFile(arch: ArchInfo, release: string): string;
  /** Release, architecture and compiler of the kernel the packages (host paths) are for. */
  facts(files: readonly string[]): Promise<HeadersFacts>;
}
