import type { TreeFacts } from '../kernel/inspect.js';
import { makeArguments, type MakeVars } from '../kernel/make-vars.js';
import type { LibrarySource } from '../sysroot/library-source.js';
import { KpkgError } from '../util/errors.js';
import { onPath } from '../util/on-path.js';
import { quoteWord } from '../util/shell-words.js';
import { missingChecks, runDoctor, treeDoctorInput, type CheckResult } from './checks.js';
import { installPrograms } from './compilers.js';
import { formatCheck } from './report.js';

/**
 * The checks of `kpkg doctor` as the commands that package run them: before any work, for a tree
 * whose host programs are rebuilt for the target, and again when a rebuild fails with the libraries
 * packaging chose. Either way the failure names what is missing and how to install it, and the
 * `kpkg doctor` command that checks again with the same arguments.
 */

/** The arguments of the packaging command that `kpkg doctor` takes too, as the user gave them. */
export interface DoctorArguments {
  buildDir: string;
  sourceDir?: string | undefined;
  vars: MakeVars;
  sysroot?: string | undefined;
  pluginSysroot?: string | undefined;
}

/** `kpkg doctor` with the packaging command's own arguments, quoted for a shell. */
export function doctorCommand(args: DoctorArguments): string {
  const option = (name: string, value: string | undefined): string[] => (value === undefined ? [] : [name, value]);
  return [
    'kpkg',
    'doctor',
    ...option('--build-dir', args.buildDir),
    ...option('--source-dir', args.sourceDir),
    ...option('--sysroot', args.sysroot),
    ...option('--plugin-sysroot', args.pluginSysroot),
    ...makeArguments(args.vars),
  ]
    .map(quoteWord)
    .join(' ');
}

function notReady(facts: TreeFacts, failed: readonly CheckResult[], args: DoctorArguments): KpkgError {
  return new KpkgError(
    `this machine cannot rebuild the host programs of ${facts.tree.release} for ${facts.arch.debian}:\n${failed.map(formatCheck).join('\n')}`,
    { hint: `install the missing pieces above; \`${doctorCommand(args)}\` checks again` },
  );
}

/**
 * Before anything is staged or written: a cross-built tree's host programs are rebuilt for the
 * target, so what that rebuild needs is checked first, as `kpkg doctor` with these arguments would.
 * Libraries kpkg fetches itself are checked where they land, when the rebuild fails (below).
 */
export async function assertReadyToPackage(facts: TreeFacts, args: DoctorArguments): Promise<void> {
  if (!facts.cross) return;
  const results = await runDoctor({
    ...treeDoctorInput(facts),
    sysroot: args.sysroot,
    pluginSysroot: args.pluginSysroot,
  });
  const failed = missingChecks(results);
  if (failed.length > 0) throw notReady(facts, failed, args);
}

/**
 * When rebuilding host programs for the target failed, the checks `kpkg doctor` makes for this tree
 * with the libraries packaging chose (`root` undefined: multiarch), checked as they are, so that a
 * missing library is reported with its install command rather than as a compiler error.
 */
export async function assertReadyToRebuild(
  facts: TreeFacts,
  libraries: { root: string | undefined; source: LibrarySource },
  args: DoctorArguments,
): Promise<void> {
  const failed = missingChecks(await runDoctor({ ...treeDoctorInput(facts), libraries }));
  if (failed.length > 0) throw notReady(facts, failed, args);
}

/**
 * The target's compiler and binutils (src/kernel/target-tools.ts) are installed: a CROSS_COMPILE=
 * or LLVM= that names tools this machine lacks fails here, in one line, before anything is built.
 */
export async function assertTargetToolsInstalled(facts: TreeFacts): Promise<void> {
  const { tools } = facts.toolchain;
  const programs = [
    ...new Set([
      tools.cc.find((w) => !w.startsWith('-') && w !== 'ccache') ?? '',
      tools.ld,
      tools.ar,
      tools.objcopy,
      tools.strip,
    ]),
  ].filter((p) => p !== '');
  const missing: string[] = [];
  for (const program of programs) if (!(await onPath(program))) missing.push(program);
  if (missing.length === 0) return;
  const setting = tools.llvm === undefined ? `CROSS_COMPILE=${tools.crossCompile}` : `LLVM=${tools.llvm.value}`;
  throw new KpkgError(`the target's tools for ${setting} are not installed: ${missing.join(', ')}`, {
    hint: `install them (${installPrograms(missing, facts.arch)}), or pass the CROSS_COMPILE= / LLVM= the tree was built with`,
  });
}
