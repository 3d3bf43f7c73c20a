import { neededProbes, runLibraryProbes } from './library-probes.js';
import type { ArchInfo } from '../arch/arch-table.js';
import type { PackagingFeatures } from '../kernel/features.js';
import { KpkgError } from '../util/errors.js';
import { aptAvailable, chooseLibrarySource, type LibrarySource } from './library-source.js';
import { ensureTargetSysroot } from './target-sysroot.js';

/** What the user chose about the target's libraries (--sysroot, --plugin-sysroot, --mirror, --target-suite). */
export interface TargetLibraryChoice {
  /** A target root holding the libraries host programs link, instead of multiarch or kpkg's sysroot. */
  sysroot?: string | undefined;
  /** A root holding the target's gcc-<N>-plugin-dev, instead of kpkg's sysroot. */
  pluginSysroot?: string | undefined;
  /** Archive and suite kpkg's sysroot comes from (default: the build machine's). */
  mirror?: string | undefined;
  targetSuite?: string | undefined;
  /** The build of gcc on the target (--target-gcc): GCC plugin headers of another build are refused. */
  targetGcc?: string | undefined;
}

export interface TargetLibrariesRequest extends TargetLibraryChoice {
  arch: ArchInfo;
  /** The target compilers as the rebuild uses them. */
  compilers: { cc: readonly string[]; cxx: readonly string[] };
  features: PackagingFeatures;
  /** The major version of the kernel's gcc, when GCC plugins are rebuilt. */
  gccPluginMajor?: number | undefined;
  cacheDir: string;
  onStep?: (detail: string) => void;
  onCommand?: (command: string) => void;
}

export interface TargetLibraries {
  source: LibrarySource | 'not needed';
  /** The root host programs are compiled with (--sysroot=); undefined for multiarch. */
  sysroot?: string | undefined;
  /** The root holding gcc-<N>-plugin-dev for the target, when plugins are rebuilt. */
  pluginRoot?: string | undefined;
  /** One line for progress and --json: where the libraries come from. */
  description: string;
}

/**
 * Decides where the target's libraries come from (library-source.ts) and, when kpkg must fetch them,
 * fetches them. GCC plugin headers cannot be installed beside the build machine's gcc, so they come
 * from --plugin-sysroot or from kpkg's sysroot whatever the libraries' source.
 */
export async function resolveTargetLibraries(request: TargetLibrariesRequest): Promise<TargetLibraries> {
  const probes = neededProbes(request.features);
  const plugins = request.gccPluginMajor;
  const needsFetchedPlugins = plugins !== undefined && request.pluginSysroot === undefined;
  if (probes.length === 0 && plugins === undefined)
    return { source: 'not needed', description: 'the host programs link no target library' };

  const multiarchReady =
    request.sysroot === undefined &&
    probes.length > 0 &&
    (await runLibraryProbes(probes, request.compilers)).every((o) => o.ok);
  const canFetch = await aptAvailable();
  const source = chooseLibrarySource({
    sysrootOption: request.sysroot !== undefined,
    multiarchReady,
    aptAvailable: canFetch,
  });
  if (source === 'unavailable' || (needsFetchedPlugins && !canFetch)) {
    throw new KpkgError(
      `the target's libraries for ${request.arch.debian} are not installed here and this machine has no apt-get to fetch them`,
      {
        hint: `unpack the target's ${[...probes.map((p) => p.debianPackage), ...(plugins === undefined ? [] : [`gcc-${plugins}-plugin-dev`])].join(', ')} into a directory and pass it with --sysroot DIR${plugins === undefined ? '' : ' (and --plugin-sysroot DIR)'}`,
      },
    );
  }
  const fetch = (): ReturnType<typeof ensureTargetSysroot> =>
    ensureTargetSysroot({
      debianArch: request.arch.debian,
      cacheDir: request.cacheDir,
      gccPluginMajor: needsFetchedPlugins ? plugins : undefined,
      mirror: request.mirror,
      suite: request.targetSuite,
      ...(request.onStep === undefined ? {} : { onStep: request.onStep }),
      ...(request.onCommand === undefined ? {} : { onCommand: request.onCommand }),
    });
  const fetched = source === 'fetched' || needsFetchedPlugins ? await fetch() : undefined;
  const sysroot = source === 'option' ? request.sysroot : source === 'fetched' ? fetched?.root : undefined;
  const pluginRoot = plugins === undefined ? undefined : (request.pluginSysroot ?? fetched?.root);
  const where = {
    option: `--sysroot ${request.sysroot ?? ''}`,
    multiarch: `the build machine's multiarch ${request.arch.debian} packages`,
    fetched:
      fetched === undefined
        ? ''
        : `kpkg's sysroot (${fetched.suite} ${fetched.debianArch}, ${fetched.created ? 'fetched now' : 'cached'}): ${fetched.root}`,
  }[source];
  return { source, sysroot, pluginRoot, description: `target libraries from ${where}` };
}
