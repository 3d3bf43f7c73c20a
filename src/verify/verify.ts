/**
 * `kpkg verify`: reads packages (streamed, nothing extracted), takes them as one installed set,
 * picks the target machine and runs every check of checks/index.ts. Reading problems are
 * KpkgErrors with exit status 2; findings are data, in the report.
 */
import { ShlibsDatabase } from '../debian/database.js';
import { defaultTargetSuite, hostRelease } from '../apt/target-release.js';
import { cachedTargetSysroot, ensureTargetSysroot } from '../sysroot/target-sysroot.js';
import { KpkgError } from '../util/errors.js';
import { libraryDataChoice, NO_RELEASE } from './library-release.js';
import { kpkgCacheDir } from '../util/cache.js';
import { runSteps, runStepsTurning, type Steps } from '../util/interrupt.js';
import { mapLimit } from '../util/pool.js';
import type { ListedCheck, VerifyContext } from './check.js';
import { VERIFY_CHECKS } from './checks/index.js';
import { FileSet } from '../reader/file-set.js';
import { CHECK_IDS, type CheckId, type CheckResult } from './findings.js';
import { findHeadersTrees } from '../reader/headers-trees.js';
import type { ReadPackage } from '../reader/model.js';
import { readInput } from '../reader/open.js';
import { reportOf, type VerifyReport } from './report-data.js';
import { shippedConfigs } from '../reader/shipped-configs.js';
import { chooseTarget, targetFromOption } from '../reader/target.js';

export type { VerifyReport } from './report-data.js';

export interface VerifyOptions {
  /** Files or directories, verified together as one set. */
  inputs: readonly string[];
  /** --arch: Debian, kernel, RPM or GNU name. */
  arch?: string;
  /** --target-suite: the Debian release whose library data judges the relations; `none`: naming conventions. */
  targetSuite?: string;
  /** A line of progress (fetching a release's library data). */
  onStep?: (line: string) => void;
}

/** Inputs read at once: each xz/zstd child takes a core, so two keep a 2-core machine busy. */
const READ_PARALLELISM = 2;

export async function readPackages(inputs: readonly string[]): Promise<ReadPackage[]> {
  return mapLimit(inputs, READ_PARALLELISM, (input) => readInput(input));
}

/** A fetch's failure in one line: its first, and apt's own error ("E: …") when it quotes one. */
function firstLine(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const first = (lines[0] ?? '').replace(/:$/, '');
  const apt = [...lines].reverse().find((line) => line.startsWith('E: '));
  return apt === undefined ? first : `${first} (${apt.slice(3)})`;
}

/** The release's library data: a sysroot of that suite from kpkg's cache, else fetched as `kpkg deb` fetches one. */
async function releaseData(
  debianArch: string,
  suite: string,
  onStep: ((line: string) => void) | undefined,
): Promise<ShlibsDatabase> {
  const cacheDir = kpkgCacheDir();
  let sysroot = await cachedTargetSysroot(cacheDir, debianArch, { suite });
  if (sysroot === undefined) {
    try {
      sysroot = await ensureTargetSysroot({ debianArch, suite, cacheDir, onStep });
    } catch (e) {
      const why = firstLine(e instanceof Error ? e.message : String(e));
      throw new KpkgError(
        `cannot fetch the library data of ${suite} ${debianArch} for the prerequisites check: ${why}`,
        {
          hint: `name the packages' release with --target-suite SUITE, or judge by Debian's naming conventions alone with --target-suite ${NO_RELEASE}`,
          exitCode: 2,
        },
      );
    }
  }
  return ShlibsDatabase.fromControlDirs(sysroot.root, { architecture: debianArch });
}

/**
 * The library data the prerequisites check names packages by: that of the packages' own release
 * (library-release.ts), so that what is cached never changes a verdict.
 */
async function libraryData(
  context: VerifyContext,
  options: VerifyOptions,
): Promise<Pick<VerifyContext, 'debianData' | 'libraryBasis'>> {
  const debianArch = context.target.arch?.debian;
  if (debianArch === undefined) return {};
  const choice = libraryDataChoice(context.packages, options.targetSuite, {
    fallbackSuite: defaultTargetSuite(debianArch, await hostRelease()),
    firstRelease: context.target.arch?.firstDebianRelease,
  });
  if (choice === undefined) return {};
  if (choice.kind === 'conventions') return { libraryBasis: `Debian's naming conventions (${choice.from})` };
  return {
    debianData: await releaseData(debianArch, choice.suite, options.onStep),
    libraryBasis: `${choice.suite} ${debianArch} package data (${choice.from})`,
  };
}

/**
 * What every check reads, computed once: the set (a symlink loop in it is a KpkgError, exit
 * status 2), the shipped configurations, the target — chosen here and nowhere else — and the
 * headers trees. A step after each part.
 */
function* contextSteps(
  packages: readonly ReadPackage[],
  archOption: string | undefined,
  debianData: ShlibsDatabase | undefined,
): Steps<VerifyContext> {
  const set = yield* FileSet.filling(packages);
  set.assertNoSymlinkLoops();
  yield;
  const configs = shippedConfigs(packages);
  const target = chooseTarget(archOption, packages, configs);
  yield;
  const trees = findHeadersTrees(set);
  yield;
  return { packages, set, target, configs, trees, debianData };
}

export function verifyContext(
  packages: readonly ReadPackage[],
  archOption?: string,
  debianData?: ShlibsDatabase,
): VerifyContext {
  return runSteps(contextSteps(packages, archOption, debianData));
}

/** Runs the checks in their order, pausing (yield) after each one; returns the results in findings.ts's order. */
function* checkRuns(context: VerifyContext, checks: readonly ListedCheck[]): Steps<CheckResult[]> {
  const results = new Map<CheckId, CheckResult>();
  for (const check of checks) {
    const outcomes = check.run(context);
    for (const id of check.ids) {
      const outcome = outcomes[id];
      if (outcome === undefined) throw new Error(`internal: the check of ${check.title} gave no outcome for ${id}`);
      if (results.has(id)) throw new Error(`internal: two checks report ${id}`);
      const stray = outcome.findings.find((f) => f.check !== id);
      if (stray !== undefined)
        throw new Error(`internal: the check of ${check.title} reported a ${stray.check} finding as ${id}`);
      results.set(id, { id, ...outcome });
    }
    yield;
  }
  return CHECK_IDS.map((id) => results.get(id) ?? { id, applicable: false, findings: [] });
}

/** Runs the checks in their order; the results come in findings.ts's order, one per id. */
export function runChecks(context: VerifyContext, checks: readonly ListedCheck[] = VERIFY_CHECKS): CheckResult[] {
  return runSteps(checkRuns(context, checks));
}

export function verifyPackages(
  packages: readonly ReadPackage[],
  archOption?: string,
  debianData?: ShlibsDatabase,
): VerifyReport {
  const context = verifyContext(packages, archOption, debianData);
  return reportOf(context, runChecks(context));
}

/** Reads and verifies; --arch is checked before anything is read. */
export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  if (options.arch !== undefined) targetFromOption(options.arch);
  const packages = await readPackages(options.inputs);
  const context = await runStepsTurning(contextSteps(packages, options.arch, undefined));
  const withData: VerifyContext = { ...context, ...(await libraryData(context, options)) };
  return reportOf(withData, await runStepsTurning(checkRuns(withData, VERIFY_CHECKS)));
}
