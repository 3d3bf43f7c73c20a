/** Stages each kernel part (src/kernel/parts.ts) a run needs, in scratch directories removed by dispose(). */
import { copyFile } from 'node:fs/promises';
import { settledOrFirstError } from '../util/pool.js';
import { join, relative } from 'node:path';
import type { TreeFacts } from '../kernel/inspect.js';
import { extractModuleDebugInfo, modulesInOrder } from '../kernel/install/debug-info.js';
import { imageContents, installBootFiles, installImageModules, treeFile } from '../kernel/install/image-contents.js';
import { finishModule } from '../kernel/install/module-finish.js';
import type { ModuleFinisher } from '../kernel/install/modules-install.js';
import {
  bootFilesInputs,
  moduleFinishInputs,
  modulesInstallInputs,
  uapiInstallInputs,
} from '../kernel/install/step-inputs.js';
import { listStagedTree } from '../kernel/install/staged-tree.js';
import type { BuildCache, CacheEntry } from '../cache/build-cache.js';
import type { KernelMakeContext } from '../kernel/install/kernel-make.js';
import { createScratchDir } from '../kernel/install/scratch.js';
import { installUapiHeaders } from '../kernel/install/uapi-headers.js';
import type { KernelPart, KernelParts } from '../kernel/parts.js';
import type { DistributionLayout } from '../layouts/layout.js';
import type { TargetLibraries, TargetLibraryChoice } from '../sysroot/target-libraries.js';
import type { BuildStep } from './build-types.js';
import { stageHeadersPart, type HeadersStaging } from './stage-headers.js';

export interface PartsRun {
  facts: TreeFacts;
  ctx: KernelMakeContext;
  options: TargetLibraryChoice &
    HeadersStaging['tree'] & {
      moduleStrip?: string | undefined;
      onStep?: ((step: BuildStep, detail: string) => void) | undefined;
      onCommand?: ((command: string) => void) | undefined;
    };
  jobs: number;
  cache: BuildCache;
}

/** A staged part; its files stay on disk until dispose(). */
export interface StagedPart {
  parts: Partial<KernelParts>;
  /** With the headers part: where the target libraries of its rebuilt programs came from. */
  targetLibraries?: TargetLibraries | undefined;
  dispose: () => Promise<void>;
}

/** Staging order: the part most likely to fail (the headers' rebuild and ELF gate) first. */
const PART_ORDER: readonly KernelPart[] = ['headers', 'image', 'uapi', 'debug'];

/** The parts the packages of `kinds` are made of, in staging order. */
export function partsToStage<Kind extends string>(
  layout: Pick<DistributionLayout<Kind>, 'partsOf'>,
  kinds: readonly Kind[],
): KernelPart[] {
  return PART_ORDER.filter((part) => kinds.some((kind) => layout.partsOf(kind).includes(part)));
}

/** Every part being staged, started at once: each in its own scratch directory, the make install steps while the host programs are rebuilt. */
export function startStaging(run: PartsRun, parts: readonly KernelPart[]): Map<KernelPart, Promise<StagedPart>> {
  return new Map(parts.map((part) => [part, stagePart(run, part)] as const));
}

/** The tree's files and the `wanted` parts, once they are staged. */
export async function stagedParts(
  base: Pick<KernelParts, 'systemMap' | 'config' | 'vmlinux'>,
  staging: ReadonlyMap<KernelPart, Promise<StagedPart>>,
  wanted: readonly KernelPart[],
): Promise<KernelParts> {
  const parts: KernelParts = { ...base };
  for (const part of wanted) Object.assign(parts, (await staging.get(part))?.parts);
  return parts;
}

/** Waits for every part to settle (a failed one disposed of itself), then removes the scratch directories. */
export async function disposeStaging(staging: ReadonlyMap<KernelPart, Promise<StagedPart>>): Promise<void> {
  for (const settled of await Promise.allSettled(staging.values())) {
    if (settled.status === 'fulfilled') await settled.value.dispose();
  }
}

/** System.map, .config and vmlinux, read where the build left them. */
export async function treeFiles(facts: TreeFacts): Promise<Pick<KernelParts, 'systemMap' | 'config' | 'vmlinux'>> {
  const { objtree } = facts.tree;
  return {
    systemMap: await treeFile(objtree, 'System.map', 'the symbol map'),
    config: await treeFile(objtree, '.config', 'the configuration'),
    vmlinux: await treeFile(objtree, 'vmlinux', 'the kernel ELF image'),
  };
}

/** Stages one part into its scratch directory or the build cache. */
export function stagePart(run: PartsRun, part: KernelPart): Promise<StagedPart> {
  switch (part) {
    case 'headers':
      return headersPart(run);
    case 'image':
      return imagePart(run);
    case 'uapi':
      return uapiPart(run);
    case 'debug':
      return debugPart(run);
  }
}

const NOTHING_TO_REMOVE = (): Promise<void> => Promise.resolve();

/** The headers tree, its host programs rebuilt for the target (stage-headers.ts). */
async function headersPart(run: PartsRun): Promise<StagedPart> {
  const { options } = run;
  const headers = await stageHeadersPart(run.facts, {
    cache: run.cache,
    jobs: run.jobs,
    pluginSysroot: options.pluginSysroot,
    sysroot: options.sysroot,
    mirror: options.mirror,
    targetSuite: options.targetSuite,
    targetGcc: options.targetGcc,
    tree: { buildDir: options.buildDir, sourceDir: options.sourceDir, vars: options.vars },
    ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
    ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }),
  });
  return { parts: { headers }, targetLibraries: headers.libraries, dispose: headers.dispose };
}

/** modules_install and dtbs_install output, and the boot image: two cache entries, so a changed module does not install the device trees again. */
async function imagePart(run: PartsRun): Promise<StagedPart> {
  const { facts, options } = run;
  const onStep = (step: 'modules' | 'dtbs', detail: string): void => options.onStep?.(step, detail);
  // Both settled before a failure is thrown: no make still runs while the run cleans up.
  const bootKey = await run.cache.key(bootFilesInputs(run.ctx));
  const [modules, boot] = await settledOrFirstError([
    cachedModulesInstall(run),
    run.cache.entry('boot-files', bootKey, (dir) => installBootFiles(run.ctx, dir, { onStep })),
  ]);
  if (modules.hit)
    onStep('modules', 'modules_install output from the build cache (same modules, maps, keys and scripts)');
  if (boot.hit) onStep('dtbs', 'dtbs_install output from the build cache (same device trees and Makefiles)');
  return {
    parts: { image: await imageContents(facts, { modules: modules.dir, dtbs: boot.dir }, boot.meta) },
    dispose: NOTHING_TO_REMOVE,
  };
}

/**
 * modules_install output for these modules; when a module changed, each module is still stripped
 * and signed only once: a finished module is kept under the state of the module as built, its
 * strip command and its signing key (the cache's 'module-finish' entries).
 */
async function cachedModulesInstall(run: PartsRun): Promise<CacheEntry<Record<string, never>>> {
  const { facts, options, ctx, cache } = run;
  const strip = options.moduleStrip ?? '1';
  const finishOne: ModuleFinisher = async (job) => {
    const key = await cache.key(moduleFinishInputs(job.built, job.finish));
    const finished = await cache.entry('module-finish', key, async (dir) => {
      await copyFile(job.installed, join(dir, FINISHED_MODULE));
      await finishModule(ctx, job.finish, join(dir, FINISHED_MODULE), job.module);
      return {};
    });
    await copyFile(join(finished.dir, FINISHED_MODULE), job.installed);
  };
  const key = await cache.key(modulesInstallInputs(ctx, await modulesInOrder(facts.tree.objtree), strip));
  return cache.entry('modules-install', key, async (dir) => {
    await installImageModules(ctx, dir, {
      moduleStrip: options.moduleStrip,
      jobs: run.jobs,
      finishOne,
      onStep: (step, detail) => options.onStep?.(step, detail),
    });
    return {};
  });
}

/** The file name of a finished module in its cache entry. */
const FINISHED_MODULE = 'module.ko';

/** headers_install output. */
async function uapiPart(run: PartsRun): Promise<StagedPart> {
  const { options } = run;
  const key = await run.cache.key(uapiInstallInputs(run.ctx));
  const entry = await run.cache.entry('uapi-headers', key, async (dir) => {
    options.onStep?.(
      'uapi',
      "headers_install into a staging directory (kpkg's own where it knows the kernel's scripts, else make with a scratch object tree)",
    );
    const scratch = await createScratchDir('uapi');
    try {
      await installUapiHeaders(run.ctx, join(dir, 'usr'), { scratchObjtree: scratch.path, jobs: run.jobs });
    } finally {
      await scratch.dispose();
    }
    return {};
  });
  if (entry.hit)
    options.onStep?.('uapi', 'headers_install output from the build cache (same uapi sources and scripts)');
  return { parts: { uapi: await listStagedTree(join(entry.dir, 'usr')) }, dispose: NOTHING_TO_REMOVE };
}

/** vmlinux and each module's debug info (objcopy --only-keep-debug). */
async function debugPart(run: PartsRun): Promise<StagedPart> {
  const { facts, options } = run;
  const { objtree } = facts.tree;
  const vmlinux = await treeFile(objtree, 'vmlinux', 'the kernel ELF image');
  if (!facts.features.modules) return { parts: { debug: { vmlinux, modules: [] } }, dispose: NOTHING_TO_REMOVE };
  const modules = await modulesInOrder(objtree);
  const { objcopy } = run.ctx.toolchain.tools;
  const key = await run.cache.key({
    words: ['module-debug 1', objcopy],
    files: modules.map((m) => join(objtree, m)),
    programs: [objcopy],
  });
  const entry = await run.cache.entry('module-debug', key, async (dir) => {
    options.onStep?.('debug', 'objcopy --only-keep-debug of every module in modules.order');
    const files = await extractModuleDebugInfo(run.ctx, dir, { jobs: run.jobs });
    return files.map((f) => ({ ...f, file: relative(dir, f.file) }));
  });
  if (entry.hit) options.onStep?.('debug', "the modules' debug info from the build cache (same modules and objcopy)");
  return {
    parts: { debug: { vmlinux, modules: entry.meta.map((f) => ({ ...f, file: join(entry.dir, f.file) })) } },
    dispose: NOTHING_TO_REMOVE,
  };
}
