import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildCache } from '../../cache/build-cache.js';
import { describeIdentity } from '../../elf/identity.js';
import type { RuntimeNeeds } from '../../elf/needs.js';
import { kernelCompiler, type KernelCompiler } from '../compiler.js';
import type { TreeFacts } from '../inspect.js';
import { gateElfFiles } from './gate.js';
import type { PluginCompiler } from './gcc-plugins.js';
import type { HostProgramRebuild } from './host-programs.js';
import { headersManifest, type HeadersEntry } from './manifest.js';
import { headersRuntimeNeeds } from './needs.js';
import { plannedPrograms, planRebuild, type RebuildPlan } from './plan.js';
import { rebuildForTarget, withRebuiltPrograms, type RebuildLibraries } from './rebuild.js';
import { scanHeadersTree } from './scan.js';

export type HeadersStep = 'stage' | 'rebuild' | 'verify';

/** What the rebuild needs of the target's libraries, when it rebuilds anything. */
export interface TargetLibrariesNeeded {
  /** GCC plugins are rebuilt: the target gcc's plugin headers are needed too. */
  gccPlugins: boolean;
}

export interface StageOptions<Libraries extends RebuildLibraries = RebuildLibraries> {
  /** Where rebuilt programs are kept between runs (or, disabled, for this run only). */
  cache: BuildCache;
  /**
   * Finds (or fetches) the target's libraries the rebuilt programs link; called only when something
   * is rebuilt. The caller owns where they come from (src/sysroot/).
   */
  targetLibraries: (needed: TargetLibrariesNeeded) => Promise<Libraries>;
  /** The build of gcc on the target (--target-gcc): GCC plugin headers of another build are refused. */
  targetGcc?: string | undefined;
  /** Compilers at once (default: the cores). */
  jobs?: number | undefined;
  onStep?: (step: HeadersStep, detail: string) => void;
  onCommand?: (command: string) => void;
}

/** The headers tree, ready to package: every file's final source on disk, ELF files all the target's. */
export interface StagedHeaders<Libraries extends RebuildLibraries = RebuildLibraries> {
  release: string;
  entries: HeadersEntry[];
  rebuilt: HostProgramRebuild[];
  elfCount: number;
  /** Where the target libraries the rebuilt programs link came from (undefined: nothing rebuilt). */
  libraries: Libraries | undefined;
  /** What the tree's ELF files need from shared libraries on the target. */
  needs: RuntimeNeeds;
  /** The target gcc build the GCC plugins were rebuilt against: the only one that loads them. */
  pluginCompiler?: PluginCompiler | undefined;
  /** The compiler the kernel was built with, which modules built against the tree must use too. */
  compiler?: KernelCompiler | undefined;
  /** Scratch directory holding the rebuilt programs; remove with dispose(). */
  dispose: () => Promise<void>;
}

/**
 * tree → headers manifest → scan → plan → host programs rebuilt for the target → ELF gate → needs.
 * Whether anything must be rebuilt is decided from ELF identities, not from CC strings: a file is
 * rebuilt when its identity is not the target's (so a native build rebuilds nothing). A rebuild
 * that fails with the target's libraries in use throws HostProgramRebuildFailed (rebuild.ts).
 */
export async function stageHeaders<Libraries extends RebuildLibraries>(
  facts: TreeFacts,
  options: StageOptions<Libraries>,
): Promise<StagedHeaders<Libraries>> {
  const { tree, arch } = facts;
  options.onStep?.('stage', `listing the external-module tree of ${tree.release}`);
  const manifest = await headersManifest(tree, facts.features);
  const scan = await scanHeadersTree(manifest.entries, arch.elf, options.cache);
  const plan = planRebuild(scan);

  const workDir = await mkdtemp(join(tmpdir(), 'kpkg-headers-'));
  const dispose = (): Promise<void> => rm(workDir, { recursive: true, force: true });
  try {
    const libraries = await librariesForPlan(plan, facts, options);
    const onStep = (detail: string): void => options.onStep?.('rebuild', detail);
    const programs = await rebuildForTarget({
      facts,
      plan,
      libraries,
      workDir,
      cache: options.cache,
      targetGcc: options.targetGcc,
      jobs: options.jobs,
      onStep,
      onCommand: options.onCommand,
    });
    const entries = [...(await withRebuiltPrograms(manifest.entries, programs.rebuilt)), ...programs.records];

    options.onStep?.('verify', `checking every ELF file is ${describeIdentity(arch.elf)}`);
    const elfCount = await gateElfFiles(entries, scan, arch, tree.release);
    const needs = await headersRuntimeNeeds(entries, scan.linked);
    return {
      release: tree.release,
      entries,
      rebuilt: programs.rebuilt,
      elfCount,
      libraries,
      needs,
      pluginCompiler: programs.pluginCompiler,
      compiler: kernelCompiler(tree.config, tree.version),
      dispose,
    };
  } catch (e) {
    await dispose();
    throw e;
  }
}

/** Says what the plan rebuilds and, when it rebuilds anything, asks the caller for the target's libraries. */
async function librariesForPlan<Libraries extends RebuildLibraries>(
  plan: RebuildPlan,
  facts: TreeFacts,
  options: StageOptions<Libraries>,
): Promise<Libraries | undefined> {
  const names = plannedPrograms(plan);
  if (names.length === 0) {
    options.onStep?.('rebuild', 'no host programs to rebuild (native build)');
    return undefined;
  }
  options.onStep?.('rebuild', `rebuilding ${names.length} host programs for ${facts.arch.debian}: ${names.join(', ')}`);
  const libraries = await options.targetLibraries({ gccPlugins: plan.gccPlugins });
  options.onStep?.('rebuild', libraries.description);
  return libraries;
}
