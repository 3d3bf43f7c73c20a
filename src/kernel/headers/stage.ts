import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BuildCache } from '../../cache/build-cache.js';
import { inputsKey } from '../../cache/fingerprint.js';
import { rebuildInputs } from './rebuild-inputs.js';
import { auditElfFiles, type ElfFinding } from '../../elf/audit.js';
import { readElfFile } from '../../elf/elf.js';
import { describeIdentity, identityOf, sameIdentity } from '../../elf/identity.js';
import { KpkgError } from '../../util/errors.js';
import { IO_PARALLELISM, mapLimit } from '../../util/pool.js';
import type { TreeFacts } from '../inspect.js';
import { readRuntimeNeeds, type RuntimeNeeds } from '../../elf/needs.js';
import { assertTargetCompiler, findTargetPluginHeaders, gccMajor, PLUGIN_COMPILER_RECORD, pluginCompilerRecord, type PluginCompiler } from './gcc-plugins.js';
import { assertReadyToRebuild } from '../../doctor/preflight.js';
import { resolveTargetLibraries, type TargetLibraries, type TargetLibraryChoice } from '../../sysroot/target-libraries.js';
import { checkedRebuild, rebuildHostPrograms, stripForTarget, targetCompilers, type HostProgramRebuild } from './host-programs.js';
import { rebuildToolProgram, toolProgramAt } from './tool-programs.js';
import { headersManifest, type HeadersEntry } from './manifest.js';

export type HeadersStep = 'stage' | 'rebuild' | 'verify';

export interface StageOptions extends TargetLibraryChoice {
  /** kpkg's cache (its fetched target sysroots are kept there). */
  cacheDir: string;
  /** Where rebuilt programs are kept between runs (or, disabled, for this run only). */
  cache: BuildCache;
  /** Compilers at once (default: the cores). */
  jobs?: number | undefined;
  onStep?: (step: HeadersStep, detail: string) => void;
  onCommand?: (command: string) => void;
}

/** The headers tree, ready to package: every file's final source on disk, ELF files all the target's. */
export interface StagedHeaders {
  release: string;
  entries: HeadersEntry[];
  rebuilt: HostProgramRebuild[];
  elfCount: number;
  /** Where the target libraries the rebuilt programs link came from (undefined: nothing rebuilt). */
  libraries: TargetLibraries | undefined;
  /** What the tree's ELF files need from shared libraries on the target. */
  needs: RuntimeNeeds;
  /** The target gcc build the GCC plugins were rebuilt against: the only one that loads them. */
  pluginCompiler?: PluginCompiler | undefined;
  /** Scratch directory holding the rebuilt programs; remove with dispose(). */
  dispose: () => Promise<void>;
}

/**
 * tree → headers manifest → host programs rebuilt for the target → ELF gate.
 * Whether anything must be rebuilt is decided from ELF identities, not from CC strings: a file is
 * rebuilt when its identity is not the target's (so a native build rebuilds nothing).
 */
export async function stageHeaders(facts: TreeFacts, options: StageOptions): Promise<StagedHeaders> {
  const { tree, arch } = facts;
  options.onStep?.('stage', `listing the external-module tree of ${tree.release}`);
  const manifest = await headersManifest(tree, facts.features);

  const files = manifest.entries.filter((e) => e.kind === 'file');
  /** Executables and shared objects: the files that can need libraries on the target. */
  const linked = new Set<string>();
  const foreign = (
    await mapLimit(files, IO_PARALLELISM, async (e) => {
      const r = await readElfFile(e.source);
      if (r.kind !== 'elf') return undefined;
      if (r.elf.type === 'EXEC' || r.elf.type === 'DYN') linked.add(e.path);
      return sameIdentity(identityOf(r.elf), arch.elf) ? undefined : e;
    })
  ).filter((e): e is HeadersEntry => e !== undefined);
  const fromKbuild = foreign.filter((e) => e.origin === 'objtree' && toolProgramAt(e.path) === undefined);
  const fromTools = foreign.filter((e) => e.origin === 'objtree' && toolProgramAt(e.path) !== undefined);
  const plugins = fromKbuild.filter((e) => isGccPlugin(e.path));

  const workDir = await mkdtemp(join(tmpdir(), 'kpkg-headers-'));
  const dispose = (): Promise<void> => rm(workDir, { recursive: true, force: true });
  try {
    const names = [...fromKbuild, ...fromTools].map((e) => e.path);
    options.onStep?.('rebuild', names.length === 0 ? 'no host programs to rebuild (native build)' : `rebuilding ${names.length} host programs for ${arch.debian}: ${names.join(', ')}`);
    const libraries = names.length === 0 ? undefined : await targetLibrariesFor(facts, plugins.length > 0, options);
    if (libraries !== undefined) options.onStep?.('rebuild', libraries.description);
    const pluginHeaders = libraries?.pluginRoot === undefined ? undefined : await findTargetPluginHeaders(libraries.pluginRoot, arch, facts.toolchain.version);
    if (pluginHeaders !== undefined) assertTargetCompiler(pluginHeaders.compiler, options.targetGcc, pluginHeaders.includeDir);
    const compilers = targetCompilers(facts.toolchain, arch, libraries?.sysroot);
    const inputs = await rebuildInputs({
      tree,
      toolchain: facts.toolchain,
      arch,
      kbuildPrograms: fromKbuild.map((e) => e.path),
      toolPrograms: fromTools.map((e) => e.path),
      compilers: { c: compilers.c, cxx: compilers.cxx },
      sysroot: libraries?.sysroot,
      pluginIncludeDir: pluginHeaders?.includeDir,
    });
    const entry = await options.cache.entry('host-programs', await inputsKey(inputs), async (dir): Promise<RebuiltMeta> => {
      if (libraries !== undefined) await assertReadyToRebuild(facts, libraries.sysroot);
      const made = await rebuildHostPrograms(
        {
          tree,
          toolchain: facts.toolchain,
          arch,
          programs: fromKbuild.map((e) => e.path),
          workDir,
          pluginIncludeDir: pluginHeaders?.includeDir,
          sysroot: libraries?.sysroot,
          jobs: options.jobs,
          ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }),
        },
        facts.build,
      );
      for (const e of fromTools) {
        const tool = toolProgramAt(e.path);
        if (tool === undefined) continue;
        options.onStep?.('rebuild', `${e.path} (tools/ build system)`);
        const output = await rebuildToolProgram({ tree, toolchain: facts.toolchain, arch, tool, workDir: join(workDir, 'tools-build'), sysroot: libraries?.sysroot, jobs: options.jobs, ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }) });
        made.push(await checkedRebuild(e.path, output, tree.objtree, arch));
      }
      for (const r of made) {
        await stripForTarget(r.output, facts.toolchain, options.onCommand);
        await mkdir(dirname(join(dir, r.path)), { recursive: true });
        await copyFile(r.output, join(dir, r.path));
      }
      return { rebuilt: made.map((r) => ({ path: r.path, was: r.was })) };
    });
    if (entry.hit) options.onStep?.('rebuild', `${entry.meta.rebuilt.length} host programs from the build cache (same records, sources, compilers and libraries)`);
    const rebuilt: HostProgramRebuild[] = entry.meta.rebuilt.map((r) => ({ ...r, output: join(entry.dir, r.path) }));
    const outputs = new Map(await Promise.all(rebuilt.map(async (r) => [r.path, { source: r.output, size: (await stat(r.output)).size }] as const)));
    const entries = manifest.entries.map((e): HeadersEntry => {
      const output = outputs.get(e.path);
      return output === undefined ? e : { ...e, ...output, origin: 'kpkg', mode: 0o755 };
    });
    if (pluginHeaders !== undefined) entries.push(await compilerRecordEntry(pluginHeaders.compiler, workDir));

    options.onStep?.('verify', `checking every ELF file is ${describeIdentity(arch.elf)}`);
    const audit = await auditElfFiles(
      entries.filter((e) => e.kind === 'file'),
      { identity: arch.elf, interpreter: arch.dynamicLoader },
    );
    if (audit.findings.length > 0) throw elfGateError(audit.findings, tree.release);
    const needs = await readRuntimeNeeds(entries.filter((e) => e.kind === 'file' && linked.has(e.path)));
    return { release: tree.release, entries, rebuilt, elfCount: audit.elfCount, libraries, needs, pluginCompiler: pluginHeaders?.compiler, dispose };
  } catch (e) {
    await dispose();
    throw e;
  }
}

interface RebuiltMeta {
  rebuilt: { path: string; was: string }[];
}

function targetLibrariesFor(facts: TreeFacts, plugins: boolean, options: StageOptions): Promise<TargetLibraries> {
  const { c, cxx } = targetCompilers(facts.toolchain, facts.arch);
  return resolveTargetLibraries({
    arch: facts.arch,
    compilers: { cc: c, cxx },
    features: facts.features,
    gccPluginMajor: plugins ? gccMajor(facts.toolchain.version) : undefined,
    sysroot: options.sysroot,
    pluginSysroot: options.pluginSysroot,
    cacheDir: options.cacheDir,
    mirror: options.mirror,
    targetSuite: options.targetSuite,
    onStep: (d) => options.onStep?.('rebuild', d),
    ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }),
  });
}

/** The record of the plugins' compiler (gcc-plugins.ts), as a file of the headers tree. */
async function compilerRecordEntry(compiler: PluginCompiler, workDir: string): Promise<HeadersEntry> {
  const source = join(workDir, 'records', PLUGIN_COMPILER_RECORD);
  const text = pluginCompilerRecord(compiler);
  await mkdir(join(source, '..'), { recursive: true });
  await writeFile(source, text);
  return { path: PLUGIN_COMPILER_RECORD, kind: 'file', source, mode: 0o644, size: Buffer.byteLength(text), origin: 'kpkg' };
}

function isGccPlugin(path: string): boolean {
  return path.startsWith('scripts/gcc-plugins/') && path.endsWith('.so');
}

export function elfGateError(findings: readonly ElfFinding[], release: string): KpkgError {
  const lines = findings.map((f) => `  ${f.path}: ${f.problem} — ${f.found}, expected ${f.expected}`);
  return new KpkgError(`the headers of ${release} would ship ${findings.length} file(s) that cannot run on the target:\n${lines.join('\n')}`, {
    hint: 'nothing was written. These files are not build products kpkg knows how to rebuild for the target (no Kbuild record, or not from the kernel build at all): rebuild the kernel from a clean tree, or report the file',
  });
}
