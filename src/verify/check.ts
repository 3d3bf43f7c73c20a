/**
 * A verify check: one look at the package set that reports under one or more of the ids of
 * findings.ts (where each id has its severity and the title the report shows). Every check reads
 * the same VerifyContext, computed once before any check runs, and returns one outcome per id it
 * declares; it never sees or changes another check's findings. The checks run are the list in
 * checks/index.ts; docs/recipes/add-a-verify-check.md says how to add one.
 */
import type { ShlibsDatabase } from '../debian/database.js';
import type { FileSet, SetMember } from '../reader/file-set.js';
import type { CheckId, CheckResult, Finding } from './findings.js';
import type { HeadersTree } from '../reader/headers-trees.js';
import type { ReadPackage } from '../reader/model.js';
import type { ShippedConfig } from '../reader/shipped-configs.js';
import type { Target } from '../reader/target.js';

/** What every check may read: the packages and what is derived from them, computed once (verify.ts). */
export interface VerifyContext {
  /** The packages as read, in the order given. */
  packages: readonly ReadPackage[];
  /** The packages as the one tree they install (symlinks resolved across packages; no symlink loops). */
  set: FileSet;
  /** The machine the packages are for, chosen once (target.ts); `target.arch` is undefined when unknown. */
  target: Target;
  /** The kernel configurations the packages ship. */
  configs: readonly ShippedConfig[];
  /** The headers trees (external-module build trees) the set installs. */
  trees: readonly HeadersTree[];
  /** The shlibs/symbols data of the packages' own Debian release (library-release.ts says which), when it judges them. */
  debianData?: ShlibsDatabase | undefined;
  /** Which library names the prerequisites check goes by and why, for the report; undefined when none were needed. */
  libraryBasis?: string | undefined;
}

/** One id's outcome, its findings all of that id; the runner adds the id. */
export type CheckOutcome = Omit<CheckResult, 'id'>;

/** A check as the list in checks/index.ts holds it (every VerifyCheck is one). */
export interface ListedCheck {
  readonly title: string;
  readonly ids: readonly CheckId[];
  run(context: VerifyContext): Partial<Record<CheckId, CheckOutcome>>;
}

/**
 * A check reporting under the ids `Id`: its run() must return an outcome for each of them (the
 * compiler holds it to that), and the runner refuses a finding of any other id.
 */
export interface VerifyCheck<Id extends CheckId> extends ListedCheck {
  /** What the check looks at, in a few words: names it in the runner's errors (the report shows the ids' titles). */
  readonly title: string;
  /** The ids it reports under; no other check may report under them. */
  readonly ids: readonly Id[];
  /** One outcome for each id it declares. */
  run(context: VerifyContext): Record<Id, CheckOutcome>;
}

/** An outcome that applies: these findings, and a note on what was checked. */
export function checked(findings: Finding[], note?: string): CheckOutcome {
  return { applicable: true, findings, note };
}

/** An outcome that does not apply to these packages, and why. */
export function notApplicable(why: string): CheckOutcome {
  return { applicable: false, findings: [], note: why };
}

/** "1 ELF file", "3 ELF files". */
export function counted(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** A finding's path and package for a member of the set. */
export function memberLocation(member: SetMember): { path: string; package: string } {
  return { path: member.path, package: member.pkg.name };
}
