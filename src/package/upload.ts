/**
 * What some formats write beside the packages of one set (Debian: the .changes and .buildinfo an
 * upload consists of): the set's source-level facts, from the layout, and what the build machine
 * had, from the pipeline. Format-neutral, like model.ts.
 */
import type { PackageDescription } from './model.js';

export interface SetDescription {
  /** The source package the set comes from (Debian: Source:, e.g. linux-upstream). */
  source: string;
  version: string;
  distribution: string;
  urgency: string;
  /** Who made this version ("Name <email>"). */
  maintainer: string;
  /** The changelog entry of this version, as written in the packages. */
  changes: string;
  /** SOURCE_DATE_EPOCH of the set. */
  mtime: number;
  /** The source's section and priority (for the files that describe the whole set). */
  section: string;
  priority: string;
}

/** One written package: its description and where its file is. */
export interface SetMember {
  description: PackageDescription;
  /** The file as written (before it is moved to its final name). */
  path: string;
  /** Its final file name. */
  fileName: string;
}

/** The build machine, as an upload records it. */
export interface BuildRecord {
  /** The machine's architecture in the format's naming (Debian: amd64). */
  arch: string;
  /** The distribution vendor (/etc/dpkg/origins/default), when known. */
  origin?: string | undefined;
  /** What was installed to build the set: name, arch, version. */
  installed: readonly { name: string; arch: string; version: string }[];
  /** The environment variables that change what was written, sorted by name. */
  environment: readonly (readonly [string, string])[];
}

/** A file written beside the packages. */
export interface SetFile {
  name: string;
  data: Uint8Array;
}
