/**
 * Which Debian release's library data judges a set's relations (the prerequisites check): the release
 * the packages themselves say, so that the verdict depends on the packages and never on what kpkg
 * happens to have cached. Pure: the data itself is fetched by verify.ts.
 */
import { parseRelationClause, type Relation } from '../debian/relations.js';
import type { DebianRelease } from '../arch/arch-table.js';
import { firstReleaseWithGlibc, laterRelease, releaseOfVersion } from '../apt/releases.js';
import type { ReadPackage } from '../reader/model.js';

/** Where the library data comes from, and why that release. */
export type LibraryDataChoice =
  | { readonly kind: 'release'; readonly suite: string; readonly from: string }
  | { readonly kind: 'conventions'; readonly from: string };

/** `--target-suite none`: judge by Debian's naming conventions alone. */
export const NO_RELEASE = 'none';

/** A release a package names (its version: `+deb12u1`) or needs at least (what it depends on). */
interface ReleaseClue {
  readonly release: DebianRelease;
  readonly from: string;
}

/**
 * Whether any .deb declares relations and ships a program or library that needs a soname: only then
 * does Debian's library data decide anything (rpm and pacman name sonames or Arch packages).
 */
export function needsLibraryData(packages: readonly ReadPackage[]): boolean {
  return packages.some(
    (p) => p.format === 'deb' && p.requires !== undefined && p.members.some((m) => (m.dynamic?.needed.length ?? 0) > 0),
  );
}

function relationClue(pkg: string, field: string, relation: Relation): ReleaseClue | undefined {
  const at = `${relation.name} in ${pkg}'s ${field}`;
  // The 64-bit time_t transition renamed library packages (libssl3 → libssl3t64) in trixie.
  if (/^lib.*t64$/.test(relation.name)) return { release: 'trixie', from: at };
  const version = relation.version;
  if (relation.name !== 'libc6' || version === undefined || !['>=', '>>', '=', '>'].includes(version.op))
    return undefined;
  const release = firstReleaseWithGlibc(version.version);
  return release === undefined
    ? undefined
    : { release, from: `libc6 (${version.op} ${version.version}) in ${pkg}'s ${field}` };
}

/** What one .deb's control file says of its release. */
function packageClues(pkg: ReadPackage): ReleaseClue[] {
  const control = pkg.deb?.control;
  if (pkg.format !== 'deb' || control === undefined) return [];
  const clues: ReleaseClue[] = [];
  const versioned = pkg.version === undefined ? undefined : releaseOfVersion(pkg.version);
  if (versioned !== undefined)
    clues.push({ release: versioned, from: `the version ${pkg.version ?? ''} of ${pkg.name}` });
  for (const field of ['Pre-Depends', 'Depends']) {
    for (const clause of (control.get(field) ?? '').split(',')) {
      const parsed = parseRelationClause(clause);
      if (parsed.kind !== 'alternatives') continue;
      for (const relation of parsed.alternatives) {
        const clue = relationClue(pkg.name, field, relation);
        if (clue !== undefined) clues.push(clue);
      }
    }
  }
  return clues;
}

/** The latest release the set's packages name or need, with the first clue that says it. */
export function releaseOfPackages(packages: readonly ReadPackage[]): ReleaseClue | undefined {
  let best: ReleaseClue | undefined;
  for (const clue of packages.flatMap(packageClues)) {
    if (best === undefined || laterRelease(best.release, clue.release) !== best.release) best = clue;
  }
  return best;
}

/** Where the release's data comes from for the target architecture. */
export interface ReleaseDefaults {
  /** The build machine's release, as `kpkg deb` targets it by default (defaultTargetSuite). */
  readonly fallbackSuite: string;
  /** The first release that has the architecture (riscv64: trixie); absent: every release. */
  readonly firstRelease?: DebianRelease | undefined;
}

/**
 * The release for a set: `--target-suite` when given (`none`: conventions only), else the latest the
 * packages name or need — but not before the architecture entered Debian —, else the fallback.
 * Undefined when no data is needed.
 */
export function libraryDataChoice(
  packages: readonly ReadPackage[],
  option: string | undefined,
  defaults: ReleaseDefaults,
): LibraryDataChoice | undefined {
  if (!needsLibraryData(packages)) return undefined;
  if (option === NO_RELEASE) return { kind: 'conventions', from: `--target-suite ${NO_RELEASE}` };
  if (option !== undefined) return { kind: 'release', suite: option, from: '--target-suite' };
  const clue = releaseOfPackages(packages);
  const first = defaults.firstRelease;
  if (clue !== undefined && first !== undefined && laterRelease(first, clue.release) !== clue.release)
    return { kind: 'release', suite: first, from: `${clue.from}, and the architecture's first release` };
  if (clue !== undefined) return { kind: 'release', suite: clue.release, from: clue.from };
  return {
    kind: 'release',
    suite: defaults.fallbackSuite,
    from: "no package names its release: the build machine's",
  };
}
