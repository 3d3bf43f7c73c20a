import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BuildCache } from '../../cache/build-cache.js';
import { wordsKey } from '../../cache/fingerprint.js';
import type { ArchInfo } from '../../arch/arch-table.js';
import { rebuildInputs } from './rebuild-inputs.js';
import { auditElfFiles, type ElfFinding } from '../../elf/audit.js';
import { readElfFile, type ElfReadResult } from '../../elf/elf.js';
import { describeIdentity, identityOf, sameIdentity } from '../../elf/identity.js';
import { KpkgError } from '../../util/errors.js';
import { cpuParallelism, IO_PARALLELISM, mapLimit } from '../../util/pool.js';
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

  for (const e of manifest.entries) if (e.state !== undefined) options.cache.states.prime(e.source, e.state);
  const files = manifest.entries.filter((e) => e.kind === 'file');
  const scan = await scanFiles(files, arch, options.cache);
  const linked = new Set(scan.linked);
  const foreign = files.filter((e) => scan.foreign.has(e.path));
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
    // The plugin headers, then the programs (from the cache, or rebuilt). When any of it fails, the
    // doctor's checks explain it if the machine lacks something (a compiler that cannot link, a target
    // library, the plugin headers): the same checks and message as `kpkg doctor`, run only then.
    const { pluginHeaders, entry } = await (async () => {
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
      const rebuild = async (dir: string): Promise<RebuiltMeta> => {
        // Kbuild's programs and the tools/ builds (one after the other: they share tools/build) at once.
        const tools = (async (): Promise<HostProgramRebuild[]> => {
          const built: HostProgramRebuild[] = [];
          for (const e of fromTools) {
            const tool = toolProgramAt(e.path);
            if (tool === undefined) continue;
            options.onStep?.('rebuild', `${e.path} (tools/ build system)`);
            const output = await rebuildToolProgram({ tree, toolchain: facts.toolchain, arch, tool, workDir: join(workDir, 'tools-build'), sysroot: libraries?.sysroot, jobs: options.jobs, ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }) });
            built.push(await checkedRebuild(e.path, output, tree.objtree, arch));
          }
          return built;
        })();
        tools.catch(() => undefined); // awaited below, after the Kbuild programs
        const kbuild = await rebuildHostPrograms(
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
        ).catch(async (e: unknown) => {
          await tools.catch(() => undefined); // nothing may still write into workDir when it goes
          throw e;
        });
        const made = [...kbuild, ...(await tools)];
        await mapLimit(made, options.jobs ?? cpuParallelism(), async (r) => {
          await stripForTarget(r.output, facts.toolchain, options.onCommand);
          await mkdir(dirname(join(dir, r.path)), { recursive: true });
          await copyFile(r.output, join(dir, r.path));
        });
        // The plugins' compiler record goes with them (compilerRecordEntry reads it from the entry).
        if (pluginHeaders !== undefined) await writeCompilerRecord(pluginHeaders.compiler, dir);
        return { rebuilt: made.map((r) => ({ path: r.path, was: r.was })) };
      };
      const entry = await options.cache.entry('host-programs', await options.cache.key(inputs), rebuild);
      return { pluginHeaders, entry };
    })().catch(async (e: unknown) => {
      if (libraries !== undefined) await assertReadyToRebuild(facts, libraries.sysroot);
      throw e;
    });
    if (entry.hit) options.onStep?.('rebuild', `${entry.meta.rebuilt.length} host programs from the build cache (same records, sources, compilers and libraries)`);
    const rebuilt: HostProgramRebuild[] = entry.meta.rebuilt.map((r) => ({ ...r, output: join(entry.dir, r.path) }));
    const outputs = new Map(await Promise.all(rebuilt.map(async (r) => [r.path, { source: r.output, size: (await stat(r.output)).size }] as const)));
    const entries = manifest.entries.map((e): HeadersEntry => {
      const output = outputs.get(e.path);
      return output === undefined ? e : { ...e, ...output, origin: 'kpkg', mode: 0o755 };
    });
    if (pluginHeaders !== undefined) entries.push(await compilerRecordEntry(pluginHeaders.compiler, entry.dir));

    options.onStep?.('verify', `checking every ELF file is ${describeIdentity(arch.elf)}`);
    const audit = await auditElfFiles(
      entries.filter((e) => e.kind === 'file').map((e) => ({ ...e, read: e.origin === 'kpkg' ? undefined : scan.readOf(e.path) })),
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

interface ScanMeta {
  /** ELF executables and shared objects: the files that can need libraries on the target. */
  linked: string[];
  /** ELF files whose identity is not the target's. */
  foreign: string[];
  elf: string[];
}

interface Scan {
  linked: string[];
  foreign: Set<string>;
  /** What reading a file gave, for the gate: kept from this run, or 'not-elf' from the cache, or undefined (read again). */
  readOf: (path: string) => ElfReadResult | undefined;
}

/**
 * Which files of the tree are ELF, and which of those are not the target's. Kept in the build cache
 * under the state of every file (their lstat from the manifest walk): a warm run reads only the ELF
 * files again (at the gate), not the thousands of headers.
 */
async function scanFiles(files: readonly HeadersEntry[], arch: ArchInfo, cache: BuildCache): Promise<Scan> {
  const reads = new Map<string, ElfReadResult>();
  const scan = async (): Promise<ScanMeta> => {
    const meta: ScanMeta = { linked: [], foreign: [], elf: [] };
    await mapLimit(files, IO_PARALLELISM, async (e) => {
      const r = await readElfFile(e.source);
      reads.set(e.path, r);
      if (r.kind !== 'elf') return;
      meta.elf.push(e.path);
      if (r.elf.type === 'EXEC' || r.elf.type === 'DYN') meta.linked.push(e.path);
      if (!sameIdentity(identityOf(r.elf), arch.elf)) meta.foreign.push(e.path);
    });
    for (const list of [meta.linked, meta.foreign, meta.elf]) list.sort();
    return meta;
  };
  const keyable = files.every((e) => e.state !== undefined);
  const key = wordsKey(['headers scan 1', describeIdentity(arch.elf), ...files.map((e) => `${e.path}\0${e.source}\0${e.state ?? ''}`)]);
  const meta = keyable ? (await cache.entry('headers-scan', key, scan)).meta : await scan();
  const elf = new Set(meta.elf);
  return {
    linked: meta.linked,
    foreign: new Set(meta.foreign),
    readOf: (path) => reads.get(path) ?? (elf.has(path) ? undefined : { kind: 'not-elf' }),
  };
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

/** Writes the record of the plugins' compiler (gcc-plugins.ts) below `dir`, where compilerRecordEntry finds it. */
async function writeCompilerRecord(compiler: PluginCompiler, dir: string): Promise<void> {
  const file = join(dir, 'kpkg-records', PLUGIN_COMPILER_RECORD);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, pluginCompilerRecord(compiler));
}

/** The record of the plugins' compiler, as a file of the headers tree (written by writeCompilerRecord into `dir`). */
async function compilerRecordEntry(compiler: PluginCompiler, dir: string): Promise<HeadersEntry> {
  const source = join(dir, 'kpkg-records', PLUGIN_COMPILER_RECORD);
  const text = await readFile(source, 'utf8');
  if (text !== pluginCompilerRecord(compiler)) throw new Error(`internal: the cached record of the plugins' compiler ${source} is not this compiler's`);
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
