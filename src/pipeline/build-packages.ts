/**
 * tree → kernel parts (install targets into scratch directories, the headers tree) → package
 * descriptions (a distribution layout) → files (a container writer). Every part is staged and
 * every package described before the first file is written; the files are written into a staging
 * directory and moved into --out together when all are complete (src/pipeline/output-set.ts),
 * so a failure or an interrupt leaves --out as it was. The scratch directories are removed at the
 * end. The build directory is locked while kpkg reads it, so two runs on one tree take turns.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MemberStore } from '../archive/compressed-member.js';
import type { CompressionKind } from '../archive/compress.js';
import { withBuildCache, type BuildCache } from '../cache/build-cache.js';
import { assertTargetToolsInstalled } from '../doctor/preflight.js';
import type { Packager, WrittenArtifact } from '../formats/packager.js';
import { readTreeFacts, type TreeFacts } from '../kernel/inspect.js';
import { describeCompiler } from '../kernel/headers/gcc-plugins.js';
import type { HeadersStep, StagedHeaders } from '../kernel/headers/stage.js';
import type { MakeVars } from '../kernel/make-vars.js';
import type { KernelPart, KernelParts } from '../kernel/parts.js';
import { assertUnchangedSince, fileClockNow, packagedInputs } from '../kernel/tree-changes.js';
import { selectKinds, type DistributionLayout } from '../layouts/layout.js';
import { packageSet, type PackageSet, type PackageSetOptions } from '../layouts/package-set.js';
import type { Dependency, PackageRelation } from '../package/model.js';
import type { SetMember } from '../package/upload.js';
import type { TargetLibraries, TargetLibraryChoice } from '../sysroot/target-libraries.js';
import { targetPackageRoots } from '../sysroot/target-roots.js';
import { kpkgCacheDir } from '../util/cache.js';
import { withLock } from '../util/file-lock.js';
import { KpkgError } from '../util/errors.js';
import { cpuParallelism, settledOrFirstError, Slots } from '../util/pool.js';
import { buildRecord, installedInputs } from './build-record.js';
import { OutputSet } from './output-set.js';
import { stagePart, treeFiles, type PartsRun } from './stage-parts.js';

export type BuildStep = HeadersStep | 'plan' | 'lock' | 'modules' | 'dtbs' | 'uapi' | 'debug' | 'depends' | 'write';

export interface BuildOptions<Kind extends string> extends PackageSetOptions, TargetLibraryChoice {
  buildDir: string;
  sourceDir?: string | undefined;
  vars: MakeVars;
  out: string;
  /** The packages to write; undefined: every package that applies to the tree. */
  only?: readonly Kind[] | undefined;
  compression?: CompressionKind | undefined;
  level?: number | undefined;
  /** INSTALL_MOD_STRIP for modules_install: '' does not strip; default '1' (--strip-debug). */
  moduleStrip?: string | undefined;
  /** Use and fill kpkg's build cache (default: yes). */
  cache?: boolean | undefined;
  /** How many compilers, make jobs and package writers run at once (default: the cores). */
  jobs?: number | undefined;
  onStep?: (step: BuildStep, detail: string) => void;
  onCommand?: (command: string) => void;
}

export interface WrittenPackage<Kind extends string> extends WrittenArtifact {
  kind: Kind;
  name: string;
  version: string;
}

export interface BuildResult<Kind extends string> {
  release: string;
  arch: string;
  format: string;
  packages: WrittenPackage<Kind>[];
  /** Host programs of the headers package rebuilt for the target (empty without it). */
  rebuilt: { path: string; was: string }[];
  /** ELF files of the headers package checked (0 without it). */
  elfCount: number;
  /** Where the target libraries of the rebuilt host programs came from (with a headers package that rebuilt any). */
  targetLibraries?: string | undefined;
  /** The headers package's run-time relations, as its layout wrote them ("libc6 (>= 2.34)"). */
  depends: string[];
  /** The gcc build the GCC plugins load into (with plugins). */
  pluginCompiler?: string | undefined;
  /** What could not be resolved exactly, e.g. a soname no target package data declares. */
  warnings: string[];
  /** Files written beside the packages (deb: the upload's .buildinfo and .changes), final paths. */
  setFiles: string[];
}

function relationText(dependency: Dependency): string {
  const one = (r: PackageRelation): string => (r.version === undefined ? r.name : `${r.name} (${r.version.op} ${r.version.version})`);
  return Array.isArray(dependency) ? (dependency as readonly PackageRelation[]).map(one).join(' | ') : one(dependency as PackageRelation);
}

/** Staging order: the part most likely to fail (the headers' rebuild and ELF gate) first. */
const PART_ORDER: readonly KernelPart[] = ['headers', 'image', 'uapi', 'debug'];

export async function buildPackages<Kind extends string>(layout: DistributionLayout<Kind>, packager: Packager, options: BuildOptions<Kind>): Promise<BuildResult<Kind>> {
  const compression = options.compression ?? packager.compressions[0];
  if (compression === undefined || !packager.compressions.includes(compression)) {
    throw new KpkgError(`${packager.format} packages cannot be compressed with ${String(compression)}`, { hint: `choose from: ${packager.compressions.join(', ')}`, exitCode: 2 });
  }
  const started = fileClockNow();
  const facts = await readTreeFacts({ buildDir: options.buildDir, sourceDir: options.sourceDir, vars: options.vars });
  await assertTargetToolsInstalled(facts);
  const kinds = selectKinds(layout, facts.features, options.only);
  const set = await packageSet(facts.tree, options);
  const output = await OutputSet.open(options.out);
  try {
    const result = await withLock(
      facts.tree.objtree,
      () => withBuildCache({ cacheDir: kpkgCacheDir(), enabled: options.cache ?? true }, (cache) => stageAndWrite(layout, packager, options, { facts, kinds, set, output, compression, started, jobs: options.jobs ?? cpuParallelism(), cache })),
      (pid) => options.onStep?.('lock', `waiting for ${pid === undefined ? 'another kpkg run' : `kpkg (pid ${pid})`}, which is packaging ${facts.tree.objtree}`),
    );
    await output.commit((pid) => options.onStep?.('lock', `waiting for ${pid === undefined ? 'another kpkg run' : `kpkg (pid ${pid})`}, which is writing into ${output.out}`));
    // The packages were written in the order their parts were ready; the result keeps the layout's order.
    result.packages = result.packages.map((p) => ({ ...p, path: output.finalPath(basename(p.path)) }));
    result.setFiles = result.setFiles.map((name) => output.finalPath(name));
    return result;
  } finally {
    await output.discard();
  }
}

interface Plan<Kind extends string> {
  facts: TreeFacts;
  kinds: Kind[];
  set: PackageSet;
  output: OutputSet;
  compression: CompressionKind;
  /** When the run started (fileClockNow): no file of the tree may change after it. */
  started: bigint;
  jobs: number;
  cache: BuildCache;
}

/**
 * Stages the parts the packages need and writes every package into the staging directory, as a
 * pipeline: every part starts at once (the make install steps run while the host programs are
 * rebuilt, each in its own scratch directory), and each package is described and written as soon
 * as the parts it is made of are staged, at most `jobs` packages at a time. Every package's bytes
 * depend only on its description, so the schedule never changes the output.
 */
async function stageAndWrite<Kind extends string>(layout: DistributionLayout<Kind>, packager: Packager, options: BuildOptions<Kind>, plan: Plan<Kind>): Promise<BuildResult<Kind>> {
  const { facts, kinds, set, output, compression, started } = plan;
  const needed = PART_ORDER.filter((part) => kinds.some((kind) => layout.partsOf(kind).includes(part)));
  options.onStep?.('plan', `${kinds.join(', ')} for ${facts.tree.release} (${facts.arch.debian}, ${layout.family} layout, ${packager.format}, ${plan.jobs} jobs)`);
  const run: PartsRun = { facts, ctx: { tree: facts.tree, toolchain: facts.toolchain, vars: options.vars, onCommand: options.onCommand }, options, jobs: plan.jobs, cache: plan.cache };
  const result: BuildResult<Kind> = { release: facts.tree.release, arch: facts.arch.debian, format: packager.format, packages: [], rebuilt: [], elfCount: 0, depends: [], warnings: [], setFiles: [] };
  const base = await treeFiles(facts);
  const staging = new Map(needed.map((part) => [part, stagePart(run, part)] as const));
  try {
    const partsOf = async (wanted: readonly KernelPart[]): Promise<KernelParts> => {
      const parts: KernelParts = { ...base };
      for (const part of wanted) Object.assign(parts, (await staging.get(part))?.parts);
      return parts;
    };
    let runtime: Promise<readonly Dependency[]> | undefined;
    const runtimeOf = (headers: StagedHeaders): Promise<readonly Dependency[]> => (runtime ??= (async () => runtimeRelations(layout, facts, options, headers, (await staging.get('headers'))?.targetLibraries, result))());
    const members: MemberStore = { member: (key, make) => plan.cache.entry('members', key, make), states: plan.cache.states };
    const writeOptions = { compression, members, ...(options.level === undefined ? {} : { level: options.level }) };
    const slots = new Slots(plan.jobs);
    const setMembers: SetMember[] = [];
    const written = kinds.map(async (kind) => {
      const parts = await partsOf(layout.partsOf(kind));
      const context = { arch: facts.arch, set };
      // The files are known before the headers' run-time relations are: their compression starts now.
      const prepared = packager.prepare === undefined ? undefined : slots.run(() => packager.prepare?.(layout.describe(kind, parts, { ...context, runtime: [] }), writeOptions) ?? Promise.resolve());
      prepared?.catch(() => undefined); // awaited below; a failure of the relations first must not leave it unhandled
      const pkg = layout.describe(kind, parts, { ...context, runtime: parts.headers === undefined ? [] : await runtimeOf(parts.headers) });
      const name = packager.fileName(pkg, writeOptions);
      const write = async (): Promise<WrittenPackage<Kind>> => {
        options.onStep?.('write', `${output.finalPath(name)} (${compression})`);
        const path = output.stagingPath(name);
        const artifact = await packager.write(pkg, path, writeOptions);
        setMembers.push({ description: pkg, path, fileName: name });
        return { ...artifact, kind, name: pkg.name, version: pkg.version };
      };
      if (prepared === undefined) return slots.run(write);
      await prepared;
      return write();
    });
    result.packages = await settledOrFirstError(written);
    result.setFiles = await writeSetFiles(layout, packager, plan, setMembers, options);
    const parts = await partsOf(needed);
    if (parts.headers !== undefined) {
      result.rebuilt = parts.headers.rebuilt.map((r) => ({ path: r.path, was: r.was }));
      result.elfCount = parts.headers.elfCount;
      if (parts.headers.libraries !== undefined) result.targetLibraries = parts.headers.libraries.description;
      await runtimeOf(parts.headers);
    }
    await assertUnchangedSince(await packagedInputs(facts.tree, parts), started, facts.tree);
  } finally {
    // Every part settles (a failed one disposed of itself) before the scratch directories go.
    for (const settled of await Promise.allSettled(staging.values())) {
      if (settled.status === 'fulfilled') await settled.value.dispose();
    }
  }
  return result;
}

/** The files the format writes beside the set (deb: .buildinfo, .changes), into the output's staging directory. */
async function writeSetFiles<Kind extends string>(layout: DistributionLayout<Kind>, packager: Packager, plan: Plan<Kind>, members: readonly SetMember[], options: BuildOptions<Kind>): Promise<string[]> {
  if (packager.setFiles === undefined || layout.describeSet === undefined || members.length === 0) return [];
  const { toolchain } = plan.facts;
  const key = await plan.cache.key(installedInputs(toolchain, plan.compression));
  const record = await buildRecord(toolchain, plan.compression, async (find) => (await plan.cache.entry('installed-build-depends', key, find)).meta);
  const files = await packager.setFiles(layout.describeSet({ arch: plan.facts.arch, set: plan.set }), members, record);
  for (const file of files) {
    options.onStep?.('write', plan.output.finalPath(file.name));
    await writeFile(plan.output.stagingPath(file.name), file.data);
  }
  return files.map((f) => f.name);
}

/** The headers package's run-time relations in the layout's names; noted in the result once. */
async function runtimeRelations<Kind extends string>(layout: DistributionLayout<Kind>, facts: TreeFacts, options: BuildOptions<Kind>, headers: StagedHeaders, libraries: TargetLibraries | undefined, result: BuildResult<Kind>): Promise<readonly Dependency[]> {
  const { needs, pluginCompiler } = headers;
  options.onStep?.('depends', `what the headers' programs need on the target: ${needs.libraries.map((l) => l.soname).join(', ') || 'no shared library'}${pluginCompiler === undefined ? '' : `, and ${describeCompiler(pluginCompiler)} for the GCC plugins`}`);
  const roots = await targetPackageRoots({ ...options, debianArch: facts.arch.debian, libraries, native: !facts.cross, cacheDir: kpkgCacheDir(), onStep: (d) => options.onStep?.('depends', d) });
  const relations = await layout.runtimeRelations({ needs, pluginCompiler }, roots);
  result.depends = relations.depends.map(relationText);
  result.warnings.push(...relations.warnings);
  if (pluginCompiler !== undefined) result.pluginCompiler = describeCompiler(pluginCompiler);
  for (const w of relations.warnings) options.onStep?.('depends', `warning: ${w}`);
  if (result.depends.length > 0) options.onStep?.('depends', result.depends.join(', '));
  return relations.depends;
}

