import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { BuildCache, CacheEntry } from '../../cache/build-cache.js';
import { cpuParallelism, mapLimit } from '../../util/pool.js';
import type { TreeFacts } from '../inspect.js';
import {
  assertTargetCompiler,
  findTargetPluginHeaders,
  PLUGIN_COMPILER_RECORD,
  pluginCompilerRecord,
  type PluginCompiler,
  type TargetPluginHeaders,
} from './gcc-plugins.js';
import {
  checkedRebuild,
  rebuildHostPrograms,
  stripForTarget,
  targetCompilers,
  type HostProgramRebuild,
} from './host-programs.js';
import type { HeadersEntry } from './manifest.js';
import type { RebuildPlan } from './plan.js';
import { rebuildInputs } from './rebuild-inputs.js';
import { rebuildToolProgram, toolProgramAt } from './tool-programs.js';

/** Where the target's libraries come from for the rebuild, as the caller found them (src/sysroot/). */
export interface RebuildLibraries {
  /** The root the programs are compiled and linked with (--sysroot=); undefined: multiarch. */
  sysroot?: string | undefined;
  /** The root holding the target gcc's plugin headers (gcc-<N>-plugin-dev), when plugins are rebuilt. */
  pluginRoot?: string | undefined;
  /** One line for progress: where the libraries come from. */
  description: string;
}

/**
 * A failure of the rebuild while the target's libraries were in use, carrying them: the caller may
 * check what the machine lacks (the checks of `kpkg doctor`) and report that instead. `failure` is
 * what the rebuild threw.
 */
export class HostProgramRebuildFailed extends Error {
  constructor(
    readonly failure: unknown,
    readonly libraries: RebuildLibraries,
  ) {
    super(failure instanceof Error ? failure.message : String(failure), { cause: failure });
    this.name = 'HostProgramRebuildFailed';
  }
}

export interface RebuildRequest {
  facts: TreeFacts;
  plan: RebuildPlan;
  /** undefined: nothing to rebuild, so no libraries were looked for. */
  libraries: RebuildLibraries | undefined;
  /** Scratch directory of this run: objects and programs before they go into the cache. */
  workDir: string;
  cache: BuildCache;
  /** The build of gcc on the target: plugin headers of another build are refused (gcc-plugins.ts). */
  targetGcc?: string | undefined;
  /** Compilers at once (default: the cores). */
  jobs?: number | undefined;
  onStep?: ((detail: string) => void) | undefined;
  onCommand?: ((command: string) => void) | undefined;
}

/** The rebuilt programs, in the cache entry where they stay while the cache is open. */
export interface RebuiltPrograms {
  rebuilt: HostProgramRebuild[];
  /** The target gcc build the GCC plugins were rebuilt against (with plugins). */
  pluginCompiler: PluginCompiler | undefined;
  /** Files kpkg adds to the headers tree: the record of the plugins' compiler (with plugins). */
  records: HeadersEntry[];
}

/** What the build cache keeps of a rebuild. */
interface RebuiltMeta {
  rebuilt: { path: string; was: string }[];
}

/**
 * The rebuild step: the plugin headers, then the planned programs, from the build cache or rebuilt
 * and stripped for the target. A native build rebuilds nothing (its entry is empty). A failure
 * while the target's libraries were in use is thrown as HostProgramRebuildFailed.
 */
export async function rebuildForTarget(request: RebuildRequest): Promise<RebuiltPrograms> {
  const { entry, pluginHeaders } = await withLibrariesInFailure(request.libraries, () => rebuildOrReuse(request));
  if (entry.hit)
    request.onStep?.(
      `${entry.meta.rebuilt.length} host programs from the build cache (same records, sources, compilers and libraries)`,
    );
  return {
    rebuilt: entry.meta.rebuilt.map((r) => ({ ...r, output: join(entry.dir, r.path) })),
    pluginCompiler: pluginHeaders?.compiler,
    records: pluginHeaders === undefined ? [] : [await compilerRecordEntry(pluginHeaders.compiler, entry.dir)],
  };
}

/** Runs `rebuild`; while `libraries` are in use, its failure is thrown as HostProgramRebuildFailed carrying them. */
export async function withLibrariesInFailure<T>(
  libraries: RebuildLibraries | undefined,
  rebuild: () => Promise<T>,
): Promise<T> {
  try {
    return await rebuild();
  } catch (e) {
    throw libraries === undefined ? e : new HostProgramRebuildFailed(e, libraries);
  }
}

/** The plugin headers, and the cache entry of the programs under the key of everything they are made of. */
async function rebuildOrReuse(
  request: RebuildRequest,
): Promise<{ entry: CacheEntry<RebuiltMeta>; pluginHeaders: TargetPluginHeaders | undefined }> {
  const { facts, plan, libraries, cache } = request;
  const pluginHeaders =
    libraries?.pluginRoot === undefined
      ? undefined
      : await findTargetPluginHeaders(libraries.pluginRoot, facts.arch, facts.toolchain.version);
  if (pluginHeaders !== undefined)
    assertTargetCompiler(pluginHeaders.compiler, request.targetGcc, pluginHeaders.includeDir);
  const compilers = targetCompilers(facts.toolchain, facts.arch, libraries?.sysroot);
  const inputs = await rebuildInputs({
    tree: facts.tree,
    toolchain: facts.toolchain,
    arch: facts.arch,
    kbuildPrograms: plan.kbuild,
    toolPrograms: plan.tools,
    compilers: { c: compilers.c, cxx: compilers.cxx },
    sysroot: libraries?.sysroot,
    pluginIncludeDir: pluginHeaders?.includeDir,
  });
  const entry = await cache.entry('host-programs', await cache.key(inputs), (dir) =>
    rebuildInto(dir, request, pluginHeaders),
  );
  return { entry, pluginHeaders };
}

/** Rebuilds the planned programs, stripped, into `dir` (a cache entry being filled). */
async function rebuildInto(
  dir: string,
  request: RebuildRequest,
  pluginHeaders: TargetPluginHeaders | undefined,
): Promise<RebuiltMeta> {
  const pluginIncludeDir = pluginHeaders?.includeDir;
  const made = await kbuildAlongsideTools(
    () => rebuildKbuildPrograms(request, pluginIncludeDir),
    () => rebuildToolPrograms(request),
  );
  await mapLimit(made, request.jobs ?? cpuParallelism(), async (r) => {
    await stripForTarget(r.output, request.facts.toolchain, request.onCommand);
    await mkdir(dirname(join(dir, r.path)), { recursive: true });
    await copyFile(r.output, join(dir, r.path));
  });
  // The plugins' compiler record goes with them (compilerRecordEntry reads it from the entry).
  if (pluginHeaders !== undefined) await writeCompilerRecord(pluginHeaders.compiler, dir);
  return { rebuilt: made.map((r) => ({ path: r.path, was: r.was })) };
}

/**
 * Kbuild's programs and the tools/ builds at once. The tools/ builds start first; Kbuild's programs
 * come first in the result. When Kbuild's fail, the tools/ builds settle before the failure goes
 * on: nothing may still write into the scratch directory that a failure removes.
 */
export async function kbuildAlongsideTools<T>(kbuild: () => Promise<T[]>, tools: () => Promise<T[]>): Promise<T[]> {
  const toolsBuilt = tools();
  toolsBuilt.catch(() => undefined); // awaited below, after the Kbuild programs
  const kbuildBuilt = await kbuild().catch(async (e: unknown) => {
    await toolsBuilt.catch(() => undefined);
    throw e;
  });
  return [...kbuildBuilt, ...(await toolsBuilt)];
}

function rebuildKbuildPrograms(
  request: RebuildRequest,
  pluginIncludeDir: string | undefined,
): Promise<HostProgramRebuild[]> {
  const { facts } = request;
  return rebuildHostPrograms({
    tree: facts.tree,
    toolchain: facts.toolchain,
    arch: facts.arch,
    programs: request.plan.kbuild,
    workDir: request.workDir,
    pluginIncludeDir,
    sysroot: request.libraries?.sysroot,
    jobs: request.jobs,
    ...(request.onCommand === undefined ? {} : { onCommand: request.onCommand }),
  });
}

/** The tools/ programs one after the other: their builds share tools/build. */
async function rebuildToolPrograms(request: RebuildRequest): Promise<HostProgramRebuild[]> {
  const { facts } = request;
  const built: HostProgramRebuild[] = [];
  for (const path of request.plan.tools) {
    const tool = toolProgramAt(path);
    if (tool === undefined) continue;
    request.onStep?.(`${path} (tools/ build system)`);
    const output = await rebuildToolProgram({
      tree: facts.tree,
      toolchain: facts.toolchain,
      arch: facts.arch,
      tool,
      workDir: join(request.workDir, 'tools-build'),
      sysroot: request.libraries?.sysroot,
      jobs: request.jobs,
      ...(request.onCommand === undefined ? {} : { onCommand: request.onCommand }),
    });
    built.push(await checkedRebuild(path, output, facts.tree.objtree, facts.arch));
  }
  return built;
}

/** The manifest's entries with each rebuilt program's file in place of the build machine's. */
export async function withRebuiltPrograms(
  entries: readonly HeadersEntry[],
  rebuilt: readonly HostProgramRebuild[],
): Promise<HeadersEntry[]> {
  const outputs = new Map(
    await Promise.all(
      rebuilt.map(async (r) => [r.path, { source: r.output, size: (await stat(r.output)).size }] as const),
    ),
  );
  return entries.map((e): HeadersEntry => {
    const output = outputs.get(e.path);
    return output === undefined ? e : { ...e, ...output, origin: 'kpkg', mode: 0o755 };
  });
}

/** Writes the record of the plugins' compiler (gcc-plugins.ts) below `dir`, where compilerRecordEntry finds it. */
export async function writeCompilerRecord(compiler: PluginCompiler, dir: string): Promise<void> {
  const file = join(dir, 'kpkg-records', PLUGIN_COMPILER_RECORD);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, pluginCompilerRecord(compiler));
}

/** The record of the plugins' compiler, as a file of the headers tree (written by writeCompilerRecord into `dir`). */
export async function compilerRecordEntry(compiler: PluginCompiler, dir: string): Promise<HeadersEntry> {
  const source = join(dir, 'kpkg-records', PLUGIN_COMPILER_RECORD);
  const text = await readFile(source, 'utf8');
  if (text !== pluginCompilerRecord(compiler))
    throw new Error(`internal: the cached record of the plugins' compiler ${source} is not this compiler's`);
  return {
    path: PLUGIN_COMPILER_RECORD,
    kind: 'file',
    source,
    mode: 0o644,
    size: Buffer.byteLength(text),
    origin: 'kpkg',
  };
}
