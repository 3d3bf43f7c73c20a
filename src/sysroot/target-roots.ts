/**
 * Where the target's package data — the shlibs and symbols files a distribution's library packages
 * carry — can be read, to turn what shipped ELFs need into package relations. Never the build
 * machine's own libraries: only roots of the target architecture, or the build machine's dpkg
 * database filtered to that architecture (multiarch).
 */
import type { TargetLibraries, TargetLibraryChoice } from './target-libraries.js';
import { aptAvailable } from './library-source.js';
import { ensureTargetSysroot, targetReleaseLists, type TargetReleaseLists } from './target-sysroot.js';

export interface TargetRoot {
  readonly path: string;
  /**
   * - 'kpkg-sysroot': control files under .kpkg/control/<package>/ (src/sysroot/target-sysroot.ts);
   * - 'debian-root': a Debian system's dpkg database, var/lib/dpkg/info;
   * - 'build-machine': this machine's dpkg database, its <package>:<arch> files only (multiarch).
   */
  readonly kind: 'kpkg-sysroot' | 'debian-root' | 'build-machine';
}

export interface TargetPackageRoots {
  readonly debianArch: string;
  /** The roots the rebuild already used, most specific first. */
  readonly known: readonly TargetRoot[];
  /** kpkg's own sysroot of the target architecture, fetched on first use; undefined when this machine has no apt-get. */
  readonly fetch?: (() => Promise<TargetRoot>) | undefined;
  /** The target release's package lists, fetched on first use; undefined when this machine has no apt-get. */
  readonly release?: (() => Promise<TargetReleaseLists>) | undefined;
}

export interface TargetRootsRequest extends TargetLibraryChoice {
  readonly debianArch: string;
  /** What the headers rebuild used (undefined: nothing was rebuilt). */
  readonly libraries: TargetLibraries | undefined;
  /** The target is the build machine's own architecture: its dpkg database describes the target's libraries. */
  readonly native: boolean;
  readonly cacheDir: string;
  readonly onStep?: ((detail: string) => void) | undefined;
  readonly onCommand?: ((command: string) => void) | undefined;
}

export async function targetPackageRoots(request: TargetRootsRequest): Promise<TargetPackageRoots> {
  const known: TargetRoot[] = [];
  const libraries = request.libraries;
  if (libraries?.source === 'fetched' && libraries.sysroot !== undefined)
    known.push({ path: libraries.sysroot, kind: 'kpkg-sysroot' });
  if (request.sysroot !== undefined) known.push({ path: request.sysroot, kind: 'debian-root' });
  if (libraries?.source === 'multiarch' || request.native) known.push({ path: '/', kind: 'build-machine' });
  if (!(await aptAvailable())) return { debianArch: request.debianArch, known };
  const sysrootRequest = {
    debianArch: request.debianArch,
    cacheDir: request.cacheDir,
    mirror: request.mirror,
    suite: request.targetSuite,
    ...(request.onStep === undefined ? {} : { onStep: request.onStep }),
    ...(request.onCommand === undefined ? {} : { onCommand: request.onCommand }),
  };
  return {
    debianArch: request.debianArch,
    known,
    fetch: async () => ({ path: (await ensureTargetSysroot(sysrootRequest)).root, kind: 'kpkg-sysroot' }),
    release: () => targetReleaseLists(sysrootRequest),
  };
}
