import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { CompressionKind } from '../archive/compress.js';
import { writeDeb, type WrittenArtifact } from '../formats/deb/write-deb.js';
import type { PackageDescription } from '../package/model.js';
import type { PackagingFeatures } from '../kernel/features.js';
import { readTreeFacts, type TreeFacts } from '../kernel/inspect.js';
import { stageHeaders, type HeadersStep } from '../kernel/headers/stage.js';
import { extractModuleDebugInfo } from '../kernel/install/debug-info.js';
import { stageImage, treeFile } from '../kernel/install/image-contents.js';
import type { KernelMakeContext } from '../kernel/install/kernel-make.js';
import { createScratchDir, type ScratchDir } from '../kernel/install/scratch.js';
import { installUapiHeaders } from '../kernel/install/uapi-headers.js';
import type { MakeVars } from '../kernel/make-vars.js';
import { packageSet, type PackageSet, type PackageSetOptions } from '../kernel/packages/common.js';
import { dbgPackage } from '../kernel/packages/dbg.js';
import { headersPackage } from '../kernel/packages/headers.js';
import { imagePackage } from '../kernel/packages/image.js';
import { libcDevPackage } from '../kernel/packages/libc-dev.js';
import type { TargetLibraryChoice } from '../sysroot/target-libraries.js';
import { kpkgCacheDir } from '../util/cache.js';
import { KpkgError } from '../util/errors.js';
import { cpuParallelism } from '../util/pool.js';

/** The packages `kpkg deb` writes, in the order it writes them (the names of scripts/package/mkdebian). */
export const DEB_PACKAGE_KINDS = ['image', 'headers', 'libc-dev', 'dbg'] as const;
export type DebPackageKind = (typeof DEB_PACKAGE_KINDS)[number];

export type DebStep = HeadersStep | 'plan' | 'modules' | 'dtbs' | 'uapi' | 'debug' | 'write';

export interface DebBuildOptions extends PackageSetOptions, TargetLibraryChoice {
  buildDir: string;
  sourceDir?: string | undefined;
  vars: MakeVars;
  out: string;
  /** The packages to write; undefined: every package that applies to the tree (see applicableKinds). */
  only?: readonly DebPackageKind[] | undefined;
  compression: CompressionKind;
  level?: number | undefined;
  /** INSTALL_MOD_STRIP for modules_install: '' does not strip; default '1' (--strip-debug). */
  moduleStrip?: string | undefined;
  onStep?: (step: DebStep, detail: string) => void;
  onCommand?: (command: string) => void;
}

export interface WrittenPackage extends WrittenArtifact {
  kind: DebPackageKind;
  name: string;
  version: string;
}

export interface DebBuildResult {
  release: string;
  arch: string;
  packages: WrittenPackage[];
  /** Host programs of the headers package rebuilt for the target (empty without it). */
  rebuilt: { path: string; was: string }[];
  /** ELF files of the headers package checked (0 without it). */
  elfCount: number;
  /** Where the target libraries of the rebuilt host programs came from (with a headers package that rebuilt any). */
  targetLibraries?: string | undefined;
}

/** The Debian file name dpkg-name would give: <name>_<version without epoch>_<arch>.deb. */
export function debFileName(name: string, version: string, arch: string): string {
  return `${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`;
}

export function parseOnly(list: string): DebPackageKind[] {
  const kinds = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (kinds.length === 0) throw new KpkgError('--only needs at least one package', { hint: `choose from: ${DEB_PACKAGE_KINDS.join(', ')}`, exitCode: 2 });
  for (const k of kinds) {
    if (!(DEB_PACKAGE_KINDS as readonly string[]).includes(k)) {
      throw new KpkgError(`unknown package "${k}" in --only`, { hint: `choose from: ${DEB_PACKAGE_KINDS.join(', ')}`, exitCode: 2 });
    }
  }
  return DEB_PACKAGE_KINDS.filter((k) => kinds.includes(k));
}

/**
 * Whether each package applies to the tree, as scripts/package/mkdebian decides: the image and
 * linux-libc-dev always, linux-headers with CONFIG_MODULES, the -dbg package with CONFIG_DEBUG_INFO.
 * The reason is set for those that do not.
 */
export function applicability(facts: { features: Pick<PackagingFeatures, 'modules' | 'debugInfo'> }): Record<DebPackageKind, string | undefined> {
  return {
    image: undefined,
    headers: facts.features.modules ? undefined : 'the kernel is built without CONFIG_MODULES, so there is nothing to build modules against',
    'libc-dev': undefined,
    dbg: facts.features.debugInfo ? undefined : 'the kernel is built without CONFIG_DEBUG_INFO, so there is no debug info to ship',
  };
}

/** The kinds to write: `only` (each must apply), or every kind that applies. */
export function selectKinds(facts: { features: Pick<PackagingFeatures, 'modules' | 'debugInfo'> }, only: readonly DebPackageKind[] | undefined): DebPackageKind[] {
  const why = applicability(facts);
  if (only === undefined) return DEB_PACKAGE_KINDS.filter((k) => why[k] === undefined);
  for (const kind of only) {
    const reason = why[kind];
    if (reason !== undefined) throw new KpkgError(`cannot write the ${kind} package: ${reason}`, { hint: 'drop it from --only', exitCode: 2 });
  }
  return DEB_PACKAGE_KINDS.filter((k) => only.includes(k));
}

interface Run {
  facts: TreeFacts;
  ctx: KernelMakeContext;
  set: PackageSet;
  options: DebBuildOptions;
  jobs: number;
  result: DebBuildResult;
}

/** A package ready to write: its description, whose files stay on disk until dispose(). */
interface StagedPackage {
  pkg: PackageDescription;
  dispose: () => Promise<void>;
}

async function inScratch(prefix: string, stage: (scratch: ScratchDir) => Promise<PackageDescription>): Promise<StagedPackage> {
  const scratch = await createScratchDir(prefix);
  try {
    return { pkg: await stage(scratch), dispose: scratch.dispose };
  } catch (e) {
    await scratch.dispose();
    throw e;
  }
}

function stageImagePackage(run: Run): Promise<StagedPackage> {
  return inScratch('image', async (scratch) => {
    const contents = await stageImage(run.facts, run.ctx, {
      scratch: scratch.path,
      moduleStrip: run.options.moduleStrip,
      jobs: run.jobs,
      onStep: (step, detail) => run.options.onStep?.(step, detail),
    });
    return imagePackage(contents, run.facts.arch, run.set);
  });
}

async function stageHeadersPackage(run: Run): Promise<StagedPackage> {
  const { options } = run;
  const staged = await stageHeaders(run.facts, {
    cacheDir: kpkgCacheDir(),
    pluginSysroot: options.pluginSysroot,
    sysroot: options.sysroot,
    mirror: options.mirror,
    targetSuite: options.targetSuite,
    ...(options.onStep === undefined ? {} : { onStep: options.onStep }),
    ...(options.onCommand === undefined ? {} : { onCommand: options.onCommand }),
  });
  run.result.rebuilt = staged.rebuilt.map((r) => ({ path: r.path, was: r.was }));
  run.result.elfCount = staged.elfCount;
  if (staged.libraries !== undefined) run.result.targetLibraries = staged.libraries.description;
  return { pkg: headersPackage(staged, run.facts.arch, run.set), dispose: staged.dispose };
}

function stageLibcDevPackage(run: Run): Promise<StagedPackage> {
  return inScratch('uapi', async (scratch) => {
    run.options.onStep?.('uapi', 'make headers_install into a staging directory (with a scratch object tree)');
    const headers = await installUapiHeaders(run.ctx, join(scratch.path, 'usr'), { scratchObjtree: join(scratch.path, 'obj'), jobs: run.jobs });
    return libcDevPackage(headers, run.facts.arch, run.set, run.facts.tree.release);
  });
}

async function stageDbgPackage(run: Run): Promise<StagedPackage> {
  const { tree } = run.facts;
  const vmlinux = await treeFile(tree.objtree, 'vmlinux', 'the kernel ELF image');
  return inScratch('dbg', async (scratch) => {
    run.options.onStep?.('debug', 'objcopy --only-keep-debug of every module in modules.order');
    const modules = run.facts.features.modules ? await extractModuleDebugInfo(run.ctx, scratch.path, { jobs: run.jobs }) : [];
    return dbgPackage(vmlinux, modules, tree.release, run.facts.arch, run.set);
  });
}

const STAGERS: Readonly<Record<DebPackageKind, (run: Run) => Promise<StagedPackage>>> = {
  image: stageImagePackage,
  headers: stageHeadersPackage,
  'libc-dev': stageLibcDevPackage,
  dbg: stageDbgPackage,
};

/** Staging order: the package most likely to fail (the headers' rebuild and ELF gate) first. */
const STAGE_ORDER: readonly DebPackageKind[] = ['headers', 'image', 'libc-dev', 'dbg'];

/**
 * tree → staged files (kernel install targets into scratch directories, the headers tree) →
 * package descriptions → .deb files. Every package is staged before the first is written, so a
 * failure leaves no partial set behind; each .deb is written under a temporary name and renamed
 * when complete, and the scratch directories are removed at the end.
 */
export async function buildDebs(options: DebBuildOptions): Promise<DebBuildResult> {
  const facts = await readTreeFacts({ buildDir: options.buildDir, sourceDir: options.sourceDir, vars: options.vars });
  const kinds = selectKinds(facts, options.only);
  const set = await packageSet(facts.tree, options);
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  options.onStep?.('plan', `${kinds.join(', ')} for ${facts.tree.release} (${facts.arch.debian}), version ${set.version}`);
  const run: Run = {
    facts,
    ctx: { tree: facts.tree, toolchain: facts.toolchain, vars: options.vars, onCommand: options.onCommand },
    set,
    options,
    jobs: cpuParallelism(),
    result: { release: facts.tree.release, arch: facts.arch.debian, packages: [], rebuilt: [], elfCount: 0 },
  };
  const staged = new Map<DebPackageKind, StagedPackage>();
  try {
    for (const kind of STAGE_ORDER.filter((k) => kinds.includes(k))) staged.set(kind, await STAGERS[kind](run));
    for (const kind of kinds) {
      const pkg = staged.get(kind)?.pkg;
      if (pkg === undefined) throw new Error(`internal: ${kind} was not staged`);
      const path = join(out, debFileName(pkg.name, pkg.version, pkg.arch));
      options.onStep?.('write', `${path} (${options.compression})`);
      const written = await writeDeb(pkg, path, { compression: options.compression, ...(options.level === undefined ? {} : { level: options.level }) });
      run.result.packages.push({ ...written, kind, name: pkg.name, version: pkg.version });
    }
  } finally {
    for (const s of staged.values()) await s.dispose();
  }
  return run.result;
}
