/**
 * The headers part as the commands stage it: the kernel's steps (src/kernel/headers/stage.ts) with
 * the target's libraries from src/sysroot/ and, when a rebuild that used them fails, the checks of
 * `kpkg doctor` on those libraries, so that a missing library or compiler is reported as such rather
 * than as the compiler's error (the same checks and message as `kpkg doctor`; the commands ran them
 * before any work too, src/doctor/preflight.ts, but libraries kpkg fetched are only seen here).
 */
import { assertReadyToRebuild, type DoctorArguments } from '../doctor/preflight.js';
import type { BuildCache } from '../cache/build-cache.js';
import { gccMajor } from '../kernel/headers/gcc-plugins.js';
import { targetCompilers } from '../kernel/headers/host-programs.js';
import { HostProgramRebuildFailed } from '../kernel/headers/rebuild.js';
import {
  stageHeaders,
  type HeadersStep,
  type StagedHeaders,
  type TargetLibrariesNeeded,
} from '../kernel/headers/stage.js';
import type { TreeFacts } from '../kernel/inspect.js';
import { resolveTargetLibraries, type TargetLibraries, type TargetLibraryChoice } from '../sysroot/target-libraries.js';
import { kpkgCacheDir } from '../util/cache.js';

export interface HeadersStaging extends TargetLibraryChoice {
  cache: BuildCache;
  /** The command's own tree arguments, for the `kpkg doctor` a failure names. */
  tree: Pick<DoctorArguments, 'buildDir' | 'sourceDir' | 'vars'>;
  /** Compilers at once (default: the cores). */
  jobs?: number | undefined;
  onStep?: ((step: HeadersStep, detail: string) => void) | undefined;
  onCommand?: ((command: string) => void) | undefined;
}

export async function stageHeadersPart(
  facts: TreeFacts,
  staging: HeadersStaging,
): Promise<StagedHeaders<TargetLibraries>> {
  try {
    return await stageHeaders(facts, {
      cache: staging.cache,
      targetLibraries: (needed) => targetLibrariesFor(facts, needed, staging),
      targetGcc: staging.targetGcc,
      jobs: staging.jobs,
      ...(staging.onStep === undefined ? {} : { onStep: staging.onStep }),
      ...(staging.onCommand === undefined ? {} : { onCommand: staging.onCommand }),
    });
  } catch (e) {
    if (!(e instanceof HostProgramRebuildFailed)) throw e;
    const root = e.libraries.sysroot;
    await assertReadyToRebuild(
      facts,
      { root, source: staging.sysroot !== undefined ? 'option' : root === undefined ? 'multiarch' : 'fetched' },
      { ...staging.tree, sysroot: staging.sysroot, pluginSysroot: staging.pluginSysroot },
    );
    throw e.failure;
  }
}

/** The target's libraries for the rebuild: found here, or fetched into kpkg's sysroot (sysroot/target-libraries.ts). */
function targetLibrariesFor(
  facts: TreeFacts,
  needed: TargetLibrariesNeeded,
  staging: HeadersStaging,
): Promise<TargetLibraries> {
  const { c, cxx } = targetCompilers(facts.toolchain, facts.arch);
  return resolveTargetLibraries({
    arch: facts.arch,
    compilers: { cc: c, cxx },
    features: facts.features,
    gccPluginMajor: needed.gccPlugins ? gccMajor(facts.toolchain.version) : undefined,
    sysroot: staging.sysroot,
    pluginSysroot: staging.pluginSysroot,
    cacheDir: kpkgCacheDir(),
    mirror: staging.mirror,
    targetSuite: staging.targetSuite,
    onStep: (d) => staging.onStep?.('rebuild', d),
    ...(staging.onCommand === undefined ? {} : { onCommand: staging.onCommand }),
  });
}
