/**
 * tree → kernel parts (install targets into scratch directories, the headers tree) → package
 * descriptions (a distribution layout) → files (a container writer). Every part is staged and
 * every package described before the first file is written; the files are written into a staging
 * directory and moved into --out together when all are complete (src/pipeline/output-set.ts),
 * so a failure or an interrupt leaves --out as it was. Before any of it, what rebuilding the headers'
 * host programs needs on this machine is checked (src/doctor/preflight.ts), so a missing compiler or
 * library stops the run before --out is touched. The scratch directories are removed at the
 * end. The build directory is locked while kpkg reads it, so two runs on one tree take turns.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { MemberStore } from '../archive/compressed-member.js';
import type { CompressionKind } from '../archive/compress.js';
import { requireFamilyArch } from '../arch/families.js';
import { withBuildCache, type BuildCache } from '../cache/build-cache.js';
import { assertReadyToPackage, assertTargetToolsInstalled } from '../doctor/preflight.js';
import type { Packager, WriteOptions } from '../formats/packager.js';
import { readTreeFacts, type TreeFacts } from '../kernel/inspect.js';
import { assertUnchangedSince, fileClockNow, packagedInputs } from '../kernel/tree-changes.js';
import { selectKinds, type DistributionLayout } from '../layouts/layout.js';
import { packageSet, type PackageSet } from '../layouts/package-set.js';
import type { SetMember } from '../package/upload.js';
import { kpkgCacheDir } from '../util/cache.js';
import { withLock } from '../util/file-lock.js';
import { cpuParallelism, settledOrFirstError, Slots } from '../util/pool.js';
import { buildRecord, installedInputs } from './build-record.js';
import type { BuildOptions, BuildResult, WrittenPackage } from './build-types.js';
import { headersRelations, type HeadersRelations } from './headers-relations.js';
import { checkBuildOptions, checkOutOutsideTree } from './check-options.js';
import { OutputSet } from './output-set.js';
import { makePackage, type MadePackage, type PackageStages } from './package-stages.js';
import {
  disposeStaging,
  partsToStage,
  stagedParts,
  startStaging,
  treeFiles,
  type PartsRun,
  type StagedPart,
} from './stage-parts.js';

export type { BuildOptions, BuildResult, BuildStep, WrittenPackage } from './build-types.js';

export async function buildPackages<Kind extends string>(
  layout: DistributionLayout<Kind>,
  packager: Packager,
  options: BuildOptions<Kind>,
): Promise<BuildResult<Kind>> {
  // Every option is checked before any work: a usage error (exit 2), never a failure after the rebuild.
  const compression = checkBuildOptions(packager, options);
  const started = fileClockNow();
  const facts = await readTreeFacts({ buildDir: options.buildDir, sourceDir: options.sourceDir, vars: options.vars });
  await checkOutOutsideTree(options.out, facts.tree);
  // The target architecture is known from here on: a family that cannot package it is refused before any work.
  requireFamilyArch(packager.format, facts.arch);
  await assertTargetToolsInstalled(facts);
  const kinds = selectKinds(layout, facts.features, options.only);
  // What rebuilding the headers' host programs needs is checked before anything is staged or written.
  if (partsToStage(layout, kinds).includes('headers')) await assertReadyToPackage(facts, options);
  const set = await packageSet(facts.tree, options);
  const output = await OutputSet.open(options.out);
  try {
    const result = await withLock(
      facts.tree.objtree,
      () =>
        withBuildCache({ cacheDir: kpkgCacheDir(), enabled: options.cache ?? true }, (cache) =>
          stageAndWrite(layout, packager, options, {
            facts,
            kinds,
            set,
            output,
            compression,
            started,
            jobs: options.jobs ?? cpuParallelism(),
            cache,
          }),
        ),
      (pid) =>
        options.onStep?.(
          'lock',
          `waiting for ${pid === undefined ? 'another kpkg run' : `kpkg (pid ${pid})`}, which is packaging ${facts.tree.objtree}`,
        ),
    );
    await output.commit((pid) =>
      options.onStep?.(
        'lock',
        `waiting for ${pid === undefined ? 'another kpkg run' : `kpkg (pid ${pid})`}, which is writing into ${output.out}`,
      ),
    );
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
 * pipeline: every part starts at once (stage-parts.ts), and each package goes through its stages
 * (package-stages.ts: describe → compress → write) as soon as the parts it is made of are staged,
 * at most `jobs` packages at a time. Every package's bytes depend only on its description, so the
 * schedule never changes the output.
 */
async function stageAndWrite<Kind extends string>(
  layout: DistributionLayout<Kind>,
  packager: Packager,
  options: BuildOptions<Kind>,
  plan: Plan<Kind>,
): Promise<BuildResult<Kind>> {
  const { facts, kinds } = plan;
  const needed = partsToStage(layout, kinds);
  options.onStep?.(
    'plan',
    `${kinds.join(', ')} for ${facts.tree.release} (${facts.arch.debian}, ${layout.family} layout, ${packager.format}, ${plan.jobs} jobs)`,
  );
  const run: PartsRun = {
    facts,
    ctx: { tree: facts.tree, toolchain: facts.toolchain, vars: options.vars, onCommand: options.onCommand },
    options,
    jobs: plan.jobs,
    cache: plan.cache,
  };
  const base = await treeFiles(facts);
  const staging = startStaging(run, needed);
  try {
    const relations = once(() => relationsOfStagedHeaders(layout, facts, staging.get('headers'), options));
    const stages = packageStages(layout, packager, options, plan, async () => (await relations()).relations);
    const made = await settledOrFirstError(
      kinds.map(async (kind) => ({
        kind,
        made: await makePackage(stages, kind, await stagedParts(base, staging, layout.partsOf(kind))),
      })),
    );
    const setFiles = await writeSetFiles(
      layout,
      packager,
      plan,
      made.map((m) => setMember(m.made)),
      options,
    );
    const packages = made.map((m) => writtenPackage(m.kind, m.made));
    const result: BuildResult<Kind> = {
      release: facts.tree.release,
      arch: facts.arch.debian,
      format: packager.format,
      packages,
      rebuilt: [],
      elfCount: 0,
      depends: [],
      warnings: [],
      setFiles,
    };
    const parts = await stagedParts(base, staging, needed);
    if (parts.headers !== undefined) {
      noteHeaders(result, await relations(), parts.headers);
      const libraries = (await staging.get('headers'))?.targetLibraries;
      if (libraries !== undefined) result.targetLibraries = libraries.description;
    }
    await assertUnchangedSince(await packagedInputs(facts.tree, parts), plan.started, facts.tree);
    return result;
  } finally {
    await disposeStaging(staging);
  }
}

/** The stages every package of the run goes through, with the run's options and slots. */
function packageStages<Kind extends string>(
  layout: DistributionLayout<Kind>,
  packager: Packager,
  options: BuildOptions<Kind>,
  plan: Plan<Kind>,
  relations: PackageStages<Kind>['relations'],
): PackageStages<Kind> {
  const members: MemberStore = {
    member: (key, make) => plan.cache.entry('members', key, make),
    states: plan.cache.states,
  };
  const writeOptions: WriteOptions = {
    compression: plan.compression,
    members,
    ...(options.level === undefined ? {} : { level: options.level }),
  };
  return {
    layout,
    packager,
    context: { arch: plan.facts.arch, set: plan.set },
    writeOptions,
    slots: new Slots(plan.jobs),
    relations,
    stagingPath: (name) => plan.output.stagingPath(name),
    onWrite: (name) => options.onStep?.('write', `${plan.output.finalPath(name)} (${plan.compression})`),
  };
}

/** `make` called once, when first asked; every later call has the same promise. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/** The headers' run-time relations, once the headers part is staged. */
async function relationsOfStagedHeaders<Kind extends string>(
  layout: DistributionLayout<Kind>,
  facts: TreeFacts,
  staging: Promise<StagedPart> | undefined,
  options: BuildOptions<Kind>,
): Promise<HeadersRelations> {
  const staged = await staging;
  const headers = staged?.parts.headers;
  if (staged === undefined || headers === undefined) throw new Error('internal: the headers part was not staged');
  return headersRelations(layout, facts, headers, staged.targetLibraries, options);
}

/** What the result says of the headers package: its rebuilt programs, ELF files and relations. */
function noteHeaders<Kind extends string>(
  result: BuildResult<Kind>,
  relations: HeadersRelations,
  headers: { rebuilt: readonly { path: string; was: string }[]; elfCount: number },
): void {
  result.rebuilt = headers.rebuilt.map((r) => ({ path: r.path, was: r.was }));
  result.elfCount = headers.elfCount;
  result.depends = relations.depends;
  result.warnings.push(...relations.warnings);
  if (relations.pluginCompiler !== undefined) result.pluginCompiler = relations.pluginCompiler;
}

function writtenPackage<Kind extends string>(kind: Kind, made: MadePackage): WrittenPackage<Kind> {
  return { ...made.artifact, kind, name: made.description.name, version: made.description.version };
}

function setMember(made: MadePackage): SetMember {
  return { description: made.description, path: made.path, fileName: made.fileName };
}

/** The files the format writes beside the set (deb: .buildinfo, .changes), into the output's staging directory. */
async function writeSetFiles<Kind extends string>(
  layout: DistributionLayout<Kind>,
  packager: Packager,
  plan: Plan<Kind>,
  members: readonly SetMember[],
  options: BuildOptions<Kind>,
): Promise<string[]> {
  if (packager.setFiles === undefined || layout.describeSet === undefined || members.length === 0) return [];
  const { toolchain } = plan.facts;
  const key = await plan.cache.key(installedInputs(toolchain, plan.compression));
  const record = await buildRecord(
    toolchain,
    plan.compression,
    async (find) => (await plan.cache.entry('installed-build-depends', key, find)).meta,
  );
  const files = await packager.setFiles(layout.describeSet({ arch: plan.facts.arch, set: plan.set }), members, record);
  for (const file of files) {
    options.onStep?.('write', plan.output.finalPath(file.name));
    await writeFile(plan.output.stagingPath(file.name), file.data);
  }
  return files.map((f) => f.name);
}
