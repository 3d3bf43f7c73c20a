/**
 * What `kpkg verify` learns from reading a package: the metadata and one record per member, with
 * only the facts the checks need (ELF header, digests, scan hits, a few small texts). Nothing
 * else of the contents is kept.
 */
import type { RpmDigestVerdicts } from '../archive/rpm-digests.js';
import type { NeededLibraries } from '../elf/dynamic.js';
import type { ElfReadResult } from '../elf/elf.js';
import type { FamilyId } from '../package/family.js';

export type PackageFormat = FamilyId | 'directory';

export type MemberType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface Member {
  /**
   * Install path: absolute, normalized ("/usr/src/linux-headers-6.1/Makefile"); '/' is never a
   * member. Every byte of the name is kept: one that is not UTF-8 as util/name-bytes.ts says.
   */
  path: string;
  type: MemberType;
  size: number;
  /** Permission bits (and type bits where the format has them). */
  mode: number;
  /** Symlink target as stored, or (hardlink) the install path of the file it links to. */
  link?: string;
  /** For ELF files: what their header says (kept only for files starting with the ELF magic). */
  elf?: ElfReadResult;
  /** For executables and shared objects: the shared libraries they need (DT_NEEDED) and their soname. */
  dynamic?: NeededLibraries;
  /** MD5 of the contents, hex (computed when the format has a digest list to compare, i.e. deb). */
  md5?: string;
  /** The contents, for the few small files the checks read (configs, kernel.release, Makefiles). */
  text?: string;
  /** The contents look like text (no NUL in the first block, not ELF). */
  isText?: boolean;
  /** A PEM private key block was found in the contents. */
  privateKey?: boolean;
  /** Absolute paths in a text file that look like the build machine's (home directories, build trees). */
  hostPaths?: string[];
}

/** A package as read: its metadata and members. */
export interface ReadPackage {
  /** The path given on the command line. */
  input: string;
  format: PackageFormat;
  /** Package name (deb Package, rpm NAME, pacman pkgname), or the input's file name. */
  name: string;
  version?: string;
  /** Architecture as the package declares it ('arm64', 'aarch64', 'all', 'noarch', 'any' ...). */
  arch?: string;
  /** Where `arch` was read from, e.g. "control field Architecture". */
  archSource?: string;
  /** In archive order (a directory's sorted by path). */
  members: Member[];
  /**
   * What the package declares it needs at run time (deb Depends and Pre-Depends, rpm Requires,
   * pacman depend): one list of alternative names per clause, versions left out.
   */
  requires?: string[][];
  /** The package says kpkg wrote it (rpm BUILDHOST, pacman .BUILDINFO buildtool, the Debian changelog). */
  byKpkg?: boolean;
  /** deb only: the control file's fields, md5sums and conffiles. */
  deb?: DebMetadata;
  /** rpm only: its digests as rpm -K checks them. */
  rpm?: { digests: RpmDigestVerdicts };
}

export interface DebMetadata {
  /** debian-binary contents, trimmed. */
  formatVersion: string;
  /** The control file's fields in order; undefined when control.tar has no control file. */
  control?: Map<string, string>;
  /** md5sums: install path → hex digest; undefined when control.tar has none. */
  md5sums?: Map<string, string>;
  /** Lines of md5sums that could not be parsed. */
  md5sumsMalformed: string[];
  /** conffiles (install paths). */
  conffiles: Set<string>;
  /** The data member's name, e.g. data.tar.xz. */
  dataMember: string;
  controlMember: string;
}
