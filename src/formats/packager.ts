/**
 * One container writer per package format (deb, rpm, pacman, tar), each taking the one
 * format-neutral PackageDescription (src/package/model.ts) — the shape of nfpm's Packager. A
 * writer knows its container and its metadata files, nothing about kernels or distributions.
 */
import type { MemberStore } from '../archive/compressed-member.js';
import type { CompressionKind } from '../archive/compress.js';
import type { FamilyId } from '../package/family.js';
import type { PackageDescription } from '../package/model.js';
import type { BuildRecord, SetDescription, SetFile, SetMember } from '../package/upload.js';
import { systemError } from '../util/system-error.js';

export type PackageFormat = FamilyId;

export interface WriteOptions {
  compression: CompressionKind;
  /** Default: the format's usual level for the compressor. */
  level?: number;
  /** Where compressed members are kept between runs (formats that have separate members use it). */
  members?: MemberStore | undefined;
}

/** What every package of a set shares and the user may give: checked against a format's rules before any work. */
export interface SetFields {
  /** The whole version (--pkg-version). */
  version?: string | undefined;
  /** "Name <email>" (--maintainer). */
  maintainer?: string | undefined;
  /** Every file's time stamp, seconds since 1970 (SOURCE_DATE_EPOCH). */
  mtime?: number | undefined;
}

export interface WrittenArtifact {
  path: string;
  /** Hex SHA-256 of the whole file. */
  sha256: string;
  size: number;
}

export interface Packager {
  readonly format: PackageFormat;
  /** Compressions the format allows, the first being the default. */
  readonly compressions: readonly CompressionKind[];
  /**
   * Checks the fields the user gave against the format's own rules (its version syntax, the
   * maintainer's shape, the range of its time stamps); throws a KpkgError saying which rule.
   * Formats that take any value have none.
   */
  checkFields?(fields: SetFields): void;
  /** The conventional file name of the package, e.g. linux-image-6.1.0_6.1.0-1_arm64.deb. */
  fileName(pkg: PackageDescription, options: WriteOptions): string;
  /**
   * Writes the package at outPath. The file appears only when complete (written under a
   * temporary name in the same directory and renamed); a failure leaves nothing at outPath.
   */
  write(pkg: PackageDescription, outPath: string, options: WriteOptions): Promise<WrittenArtifact>;
  /**
   * Starts the work that depends only on the package's files — compressing a separate data member
   * into options.members — so that a later write() of the package with its final metadata finds it
   * done. Formats whose metadata and files share one compressed stream have none.
   */
  prepare?(pkg: PackageDescription, options: WriteOptions): Promise<void>;
  /**
   * The files the format writes beside a set of packages (deb: the .buildinfo and .changes of an
   * upload), from the written packages; formats without any have none.
   */
  setFiles?(set: SetDescription, members: readonly SetMember[], build: BuildRecord): Promise<SetFile[]>;
}

/**
 * What a writer throws when writing outPath failed: a failed system call (ENOENT, EACCES,
 * ENOSPC...) becomes a one-line KpkgError naming the file; anything else (a KpkgError, a bug) as it is.
 */
export function writeFailure(outPath: string, error: unknown): unknown {
  return systemError(error, { doing: 'write', path: outPath }) ?? error;
}
