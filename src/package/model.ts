/**
 * The format-neutral description of one binary package: what the container writers (deb, rpm,
 * pacman, tar; src/formats/) take. Nothing here is specific to one format; writers map names
 * (the architecture, relation operators, script names) and drop what their format cannot say.
 * What only one family of formats can say sits in its own optional section (`rpm`, `pacman`),
 * as nfpm's per-format overridables do.
 */
import { KpkgError } from '../util/errors.js';

/** Where a file's content comes from. */
export type FileSource = { from: 'disk'; path: string } | { from: 'bytes'; data: Uint8Array };

/**
 * One filesystem object the package installs. `path` is the absolute install path without a
 * trailing slash, e.g. '/usr/src/linux-headers-6.1.0/Makefile' ('/' is the root directory).
 */
export type PackageEntry =
  | { kind: 'dir'; path: string; mode: number }
  /**
   * `volatile`: the content changes with the package's version alone (the changelog); writers may
   * keep it apart so that the rest of their output is the same bytes from one version to the next.
   */
  | { kind: 'file'; path: string; mode: number; size: number; source: FileSource; volatile?: boolean }
  | { kind: 'symlink'; path: string; target: string }
  /**
   * A file the package owns without shipping it: its scripts create it (rpm's %ghost, e.g. the
   * /boot copies kernel.spec's %post makes). Only RPM records it; other writers leave it out.
   */
  | { kind: 'ghost'; path: string; mode: number };

export type RelationOp = '>=' | '<=' | '=' | '<<' | '>>';

/** A named package, optionally with a version constraint (Debian's operators; '<<' is "earlier than"). */
export interface PackageRelation {
  name: string;
  version?: { op: RelationOp; version: string };
}

/** One dependency: a relation, or alternatives any one of which satisfies it ("a | b"). */
export type Dependency = PackageRelation | readonly PackageRelation[];

/**
 * When a script runs: before/after unpacking, before/after removal (dpkg's names; rpm's %pre,
 * %post, %preun, %postun; pacman's pre_/post_install and pre_/post_remove).
 */
export type MaintainerScript = 'preinst' | 'postinst' | 'prerm' | 'postrm';

/** What only RPM can say (rpm's spec file preamble). */
export interface RpmFields {
  /** Group:, e.g. 'System Environment/Kernel'. */
  group?: string;
  vendor?: string;
  /** Obsoletes: packages this one replaces on upgrade. */
  obsoletes?: readonly PackageRelation[];
}

/** What only pacman can say (.PKGINFO). */
export interface PacmanFields {
  /** pkgbase: the PKGBUILD the split packages came from. */
  pkgbase?: string;
}

export interface PackageDescription {
  name: string;
  /** Full version including any epoch and revision, e.g. '6.1.192-1' or '1:6.12.95-1~bpo12+1'. */
  version: string;
  /** Debian architecture name ('arm64', 'amd64', 'all', ...); writers map it to their own names. */
  arch: string;
  /** One line, no trailing period. */
  summary: string;
  /** Longer text; paragraphs separated by blank lines. May be empty. */
  description: string;
  /** "Name <email>". */
  maintainer: string;
  homepage?: string;
  /** SPDX expression, e.g. 'GPL-2.0-only'. */
  license?: string;
  section?: string;
  priority?: string;
  /** The source package's name, and its version when it differs from `version`. */
  source?: string;
  sourceVersion?: string;
  depends?: readonly Dependency[];
  preDepends?: readonly Dependency[];
  recommends?: readonly Dependency[];
  suggests?: readonly Dependency[];
  breaks?: readonly Dependency[];
  conflicts?: readonly Dependency[];
  replaces?: readonly Dependency[];
  provides?: readonly PackageRelation[];
  /** Debian Multi-Arch; formats without the notion ignore it. */
  multiArch?: 'same' | 'foreign' | 'allowed';
  /** Shell scripts run by the package manager around installation and removal. */
  scripts?: Partial<Record<MaintainerScript, string>>;
  entries: readonly PackageEntry[];
  /** Seconds since the epoch, applied to every entry and to the container (SOURCE_DATE_EPOCH). */
  mtime: number;
  rpm?: RpmFields;
  pacman?: PacmanFields;
}

/**
 * A full version split as RPM and pacman need it: [epoch:]version[-release]. The release is what
 * follows the last hyphen ('1' of '6.1.192-1'); without a hyphen it is undefined.
 */
export function splitVersion(full: string): { epoch?: number; version: string; release?: string } {
  const colon = /^(\d+):/.exec(full);
  const rest = colon === null ? full : full.slice(colon[0].length);
  const hyphen = rest.lastIndexOf('-');
  return {
    ...(colon?.[1] === undefined ? {} : { epoch: Number(colon[1]) }),
    version: hyphen === -1 ? rest : rest.slice(0, hyphen),
    ...(hyphen === -1 ? {} : { release: rest.slice(hyphen + 1) }),
  };
}

/** Checks an install path: absolute, no empty, '.' or '..' components, no trailing slash. */
export function checkInstallPath(path: string): void {
  if (path === '/') return;
  const ok =
    path.startsWith('/') &&
    !path.endsWith('/') &&
    !path.includes('\0') &&
    path
      .slice(1)
      .split('/')
      .every((part) => part !== '' && part !== '.' && part !== '..');
  if (!ok)
    throw new KpkgError(
      `invalid install path ${JSON.stringify(path)}: it must be absolute, without '.', '..', '//' or a trailing '/'`,
    );
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

/**
 * A key whose plain string order is the order dpkg-deb writes a tree in: depth-first, each
 * directory right before its contents, siblings by byte-wise name. Separators become NUL (below
 * every name byte) and the UTF-8 bytes become latin1 code units (so comparison is byte-wise).
 */
function treeOrderKey(path: string): string {
  return Buffer.from(path === '/' ? '' : path, 'utf8')
    .toString('latin1')
    .replaceAll('/', '\0');
}

/**
 * The entries in canonical tree order (see treeOrderKey) with every missing parent directory,
 * up to and including '/', added as mode 0755. Paths are checked; two entries for one path are
 * an error unless both are directories of the same mode (then one is kept); a parent that is
 * not a directory is an error.
 */
export function sortEntries(entries: readonly PackageEntry[]): PackageEntry[] {
  const byPath = new Map<string, PackageEntry>();
  for (const entry of entries) {
    checkInstallPath(entry.path);
    const seen = byPath.get(entry.path);
    if (seen !== undefined) {
      if (seen.kind === 'dir' && entry.kind === 'dir' && seen.mode === entry.mode) continue;
      throw new KpkgError(`the package has two entries for ${entry.path} (${seen.kind} and ${entry.kind})`);
    }
    byPath.set(entry.path, entry);
  }
  for (const entry of [...byPath.values()]) {
    let path = entry.path;
    while (path !== '/') {
      path = parentOf(path);
      const parent = byPath.get(path);
      if (parent === undefined) {
        byPath.set(path, { kind: 'dir', path, mode: 0o755 });
      } else if (parent.kind !== 'dir') {
        throw new KpkgError(`${path} is a ${parent.kind} in the package, but ${entry.path} is inside it`);
      } else {
        break; // an existing directory: its own parents are handled when it is visited
      }
    }
  }
  return [...byPath.values()]
    .map((entry) => ({ entry, key: treeOrderKey(entry.path) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ entry }) => entry);
}

/**
 * Installed-Size in KiB, by dpkg-gencontrol's rule (dpkg 1.21, scripts/dpkg-gencontrol.pl): each
 * regular file and symlink adds ceil(size / 1024) — a symlink's size being its target's length —
 * and every other object (directories, including the top one) adds 1. dpkg-gencontrol walks the
 * whole build directory, so give it the entries with their parents (sortEntries adds them).
 */
export function installedSizeKiB(entries: readonly PackageEntry[]): number {
  let total = 0;
  for (const entry of entries) {
    if (entry.kind === 'file') total += Math.ceil(entry.size / 1024);
    else if (entry.kind === 'ghost') continue;
    else if (entry.kind === 'symlink') total += Math.ceil(Buffer.byteLength(entry.target, 'utf8') / 1024);
    else total += 1;
  }
  return total;
}
