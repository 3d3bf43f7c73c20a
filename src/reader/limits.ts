/**
 * The budgets of `kpkg verify`: everything a package read from a stranger can make kpkg hold,
 * counted and capped, so that memory is bounded by a figure that does not depend on the input
 * (docs/usage.md#limits, where the figure is). Each limit is far above what real kernel packages
 * need — a distribution's image package has ~6,000 files, a headers package ~20,000, a control
 * file a few KB, a Depends field a few hundred relations — and going over one refuses the package
 * with a one-line "over the limit" error naming the limit and the file (exit status 2, as for any
 * unreadable input). This module is the one place the figures live: the readers, the fuzzer's
 * oracles and the docs take them from here.
 */
import { KpkgError } from '../util/errors.js';
import { encodeName, isUtf8Name } from '../util/name-bytes.js';

const MiB = 1024 * 1024;

export const READ_LIMITS = {
  /** Members (files, directories, links) of one package: 10 × a headers package. */
  members: 200_000,
  /** Bytes of one member name or link target: PATH_MAX, as the kernel allows no longer path. */
  nameBytes: 4096,
  /** Path components of all members' names in one package (each may be a directory verify remembers): 10 × a headers package's. */
  pathComponents: 2_000_000,
  /**
   * Bytes of text one package makes verify keep: member names and link targets, the texts checks
   * read (kernel configurations, Makefiles, the changelog), build machine paths found in files,
   * the shared libraries ELF files need. A headers package keeps ~6 MiB.
   */
  keptBytes: 64 * MiB,
  /** Bytes of a control file, conffiles, .PKGINFO or .BUILDINFO (real ones: a few KB). */
  controlFileBytes: 1 * MiB,
  /** Bytes of a .deb's md5sums (a headers package's: ~2 MiB); its lines are members too. */
  md5sumsBytes: 32 * MiB,
  /** Run-time relations one package declares (Depends and Pre-Depends clauses, rpm requires, pacman depend). */
  relations: 10_000,
} as const;

export type ReadLimit = keyof typeof READ_LIMITS;

/**
 * The peak resident memory of one `kpkg verify` run, whatever the packages hold: `base` for the
 * program, the decompressors' read-ahead and one file in memory per reader, and `perPackage` for
 * each package given — one at every limit at once (200,000 members with their ELF records, 64 MiB
 * kept, a finding for every member in the JSON report) peaks at ~630 MiB, four at ~1.6 GiB
 * (docs/usage.md#limits). The budget tests and the fuzzer hold runs to it.
 */
export const MEMORY_BOUND_MIB = { base: 256, perPackage: 448 } as const;

/** MEMORY_BOUND_MIB for a run given `packages` packages, in MiB. */
export function memoryBoundMiB(packages: number): number {
  return MEMORY_BOUND_MIB.base + MEMORY_BOUND_MIB.perPackage * packages;
}

/** What each limit counts, in the error's words. */
const UNITS: Readonly<Record<ReadLimit, string>> = {
  members: 'members',
  nameBytes: 'bytes in one name',
  pathComponents: 'path components in all names',
  keptBytes: 'bytes of names, texts and paths kept',
  controlFileBytes: 'bytes',
  md5sumsBytes: 'bytes',
  relations: 'relations',
};

/**
 * "<where>: <what> is over the limit of N <unit> (READ_LIMITS.<name>)": the package is refused
 * (exit status 2). `what` says what was being read ("the control file", "md5sums").
 */
export function overLimit(where: string, limit: ReadLimit, what: string): KpkgError {
  return new KpkgError(
    `${where}: ${what} is over the limit of ${READ_LIMITS[limit]} ${UNITS[limit]} (READ_LIMITS.${limit}); refusing the package`,
    {
      where,
      exitCode: 2,
      hint: 'no real kernel package comes near it: the package is damaged or built to exhaust verify',
    },
  );
}

/** Counts what one package makes verify keep, and refuses the package at the first limit it passes. */
export class ReadBudget {
  readonly #where: string;
  #members = 0;
  #components = 0;
  #kept = 0;

  constructor(where: string) {
    this.#where = where;
  }

  /** One more member, named `path` (an install path). */
  member(path: string): void {
    if (++this.#members > READ_LIMITS.members) throw overLimit(this.#where, 'members', 'the count of members');
    this.name(path);
    this.#components += countComponents(path);
    if (this.#components > READ_LIMITS.pathComponents)
      throw overLimit(this.#where, 'pathComponents', 'the count of path components in member names');
  }

  /** A name or link target kept; refused when longer than a path can be. */
  name(name: string): void {
    if (nameByteLength(name) > READ_LIMITS.nameBytes)
      throw overLimit(this.#where, 'nameBytes', `member name ${JSON.stringify(name.slice(0, 64))}...`);
    this.keep(name.length, 'member names');
  }

  /** `bytes` more kept for `what` ("kernel configurations", "build machine paths"). */
  keep(bytes: number, what: string): void {
    this.#kept += bytes;
    if (this.#kept > READ_LIMITS.keptBytes)
      throw overLimit(this.#where, 'keptBytes', `what verify keeps of it (${what})`);
  }
}

/** The bytes of a name as the package holds them (a byte that is not UTF-8 is one byte: util/name-bytes.ts). */
function nameByteLength(name: string): number {
  return isUtf8Name(name) ? Buffer.byteLength(name) : encodeName(name).length;
}

function countComponents(path: string): number {
  let n = 0;
  for (let at = path.indexOf('/'); at !== -1; at = path.indexOf('/', at + 1)) n++;
  return n;
}

/** Refuses a metadata file declaring more than `limit` bytes, before it is read. */
export function assertSize(
  where: string,
  limit: 'controlFileBytes' | 'md5sumsBytes',
  what: string,
  size: number,
): void {
  if (size > READ_LIMITS[limit]) throw overLimit(where, limit, `${what} (${size} bytes)`);
}

/** Refuses a package declaring more than READ_LIMITS.relations run-time relations (`what`: "depend lines"); returns them otherwise. */
export function withinRelations<T>(where: string, relations: T[], what: string): T[] {
  if (relations.length > READ_LIMITS.relations)
    throw overLimit(where, 'relations', `the count of ${what} (${relations.length})`);
  return relations;
}
