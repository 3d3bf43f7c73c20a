/**
 * Finds the kernel headers trees (external-module build trees) a package set installs: the
 * targets of /lib/modules/<release>/build links, and any directory holding
 * include/config/auto.conf, include/config/kernel.release or Module.symvers. A tree may take its
 * sources from a second directory, as Debian's flavour trees do from linux-headers-<abi>-common:
 * the /lib/modules/<release>/source link, or the wrapper Makefile's "include <dir>/Makefile".
 */
import { parseKconfig } from '../kernel/kconfig.js';
import type { FileSet, SetMember } from './file-set.js';
import { isWithin, parentOf } from './member-path.js';

export interface HeadersTree {
  /** The tree's directory (symlinks resolved). */
  root: string;
  /**
   * The release modules built here are for: UTS_RELEASE of include/generated/utsrelease.h (what
   * vermagic records), else include/config/kernel.release. Debian's differ ("6.1.0-56-arm64" vs
   * "6.1.192": its packaging passes KERNELRELEASE to make).
   */
  release?: string;
  /** Every release name the tree answers to (both of the above). */
  releases: string[];
  /** A second directory the tree's Makefile builds from (Debian's -common), when there is one. */
  sourceDir?: string;
  /** The package that ships the root's configuration (or the root). */
  package: string;
  /** include/config/auto.conf, else .config; empty when neither is shipped. */
  config: Map<string, string>;
  /** Which file the configuration came from, relative to the root. */
  configFile?: string;
  /** Directories that belong to the tree: root, sourceDir and what their top-level symlinks reach (Debian's scripts/ and tools/). */
  areas: string[];
}

/** /lib/modules/<release>/build and /usr/lib/modules/<release>/build (merged /usr). */
export const MODULES_LINK = /^\/(?:usr\/)?lib\/modules\/([^/]+)\/(build|source)$/;

const MARKERS = ['/include/config/auto.conf', '/include/config/kernel.release', '/Module.symvers'];

function text(set: FileSet, path: string): string | undefined {
  const r = set.resolve(path);
  return r.kind === 'file' ? r.member?.text : undefined;
}

function sourceDirOf(set: FileSet, root: string, release: string | undefined): string | undefined {
  if (release !== undefined) {
    for (const prefix of ['/lib/modules', '/usr/lib/modules']) {
      const r = set.resolve(`${prefix}/${release}/source`);
      if (r.kind === 'dir' && r.path !== root) return r.path;
    }
  }
  // Kbuild's O= wrapper and Debian's flavour Makefile are one line: include <srctree>/Makefile.
  const makefile = text(set, `${root}/Makefile`);
  const included = makefile === undefined ? undefined : /^include\s+(\/\S+)\/Makefile\s*$/m.exec(makefile)?.[1];
  if (included === undefined) return undefined;
  const r = set.resolve(included);
  return r.kind === 'dir' && r.path !== root ? r.path : undefined;
}

/** The symlinks of the set by the directory they are in, each with its place in the set's order. */
type SymlinksByDir = Map<string, { member: SetMember; order: number }[]>;

function symlinksByDir(set: FileSet): SymlinksByDir {
  const byDir: SymlinksByDir = new Map();
  let order = 0;
  for (const member of set.all()) {
    if (member.type !== 'symlink') continue;
    const dir = parentOf(member.path);
    const entry = { member, order: order++ };
    const list = byDir.get(dir);
    if (list === undefined) byDir.set(dir, [entry]);
    else list.push(entry);
  }
  return byDir;
}

/** `dirs` and the directories outside them that their top-level symlinks reach, in the set's order. */
function areasOf(set: FileSet, symlinks: SymlinksByDir, dirs: readonly string[]): string[] {
  const areas = new Set(dirs);
  const links = dirs
    .filter((dir) => dir !== '/')
    .flatMap((dir) => symlinks.get(dir) ?? [])
    .sort((a, b) => a.order - b.order);
  for (const { member } of links) {
    const r = set.resolve(member.path);
    if (r.kind === 'dir' && !dirs.some((dir) => isWithin(r.path, dir))) areas.add(r.path);
  }
  return [...areas];
}

/** The roots of the trees: where build links lead (to a tree with a marker), and every marker's directory. */
function treeRoots(set: FileSet): string[] {
  const roots = new Set<string>();
  for (const member of set.all()) {
    const link = MODULES_LINK.exec(member.path);
    if (link?.[2] === 'build') {
      const r = set.resolve(member.path);
      if (r.kind === 'dir' && MARKERS.some((m) => set.resolve(`${r.path}${m}`).kind === 'file')) roots.add(r.path);
      continue;
    }
    if (member.type !== 'file') continue;
    const marker = MARKERS.find((m) => member.path.endsWith(m));
    if (marker !== undefined) roots.add(member.path.slice(0, -marker.length) || '/');
  }
  return [...roots].sort();
}

/** parseKconfig once per text: trees may share one configuration through symlinks, and then share its map. */
function parsedOnce(): (text: string) => Map<string, string> {
  const parsed = new Map<string, Map<string, string>>();
  return (text) => {
    const known = parsed.get(text);
    if (known !== undefined) return known;
    const config = parseKconfig(text);
    parsed.set(text, config);
    return config;
  };
}

function treeAt(
  set: FileSet,
  root: string,
  symlinks: SymlinksByDir,
  parse: (text: string) => Map<string, string>,
): HeadersTree {
  const kernelRelease = text(set, `${root}/include/config/kernel.release`)?.trim();
  const utsRelease = /^#define UTS_RELEASE "([^"]+)"/m.exec(
    text(set, `${root}/include/generated/utsrelease.h`) ?? '',
  )?.[1];
  const releases = [...new Set([utsRelease, kernelRelease].filter((r): r is string => r !== undefined && r !== ''))];
  const release = releases[0];
  const sourceDir = sourceDirOf(set, root, release);
  const autoConf = text(set, `${root}/include/config/auto.conf`);
  const dotConfig = autoConf === undefined ? text(set, `${root}/.config`) : undefined;
  const configText = autoConf ?? dotConfig;
  const owner = ['/include/config/auto.conf', '/include/config/kernel.release', '/Module.symvers', '/Makefile']
    .map((m) => set.resolve(`${root}${m}`).member?.pkg.name)
    .find((name) => name !== undefined);
  const tree: HeadersTree = {
    root,
    releases,
    package: owner ?? set.resolve(root).member?.pkg.name ?? '?',
    config: configText === undefined ? new Map<string, string>() : parse(configText),
    areas: areasOf(set, symlinks, sourceDir === undefined ? [root] : [root, sourceDir]),
  };
  if (release !== undefined) tree.release = release;
  if (sourceDir !== undefined) tree.sourceDir = sourceDir;
  if (configText !== undefined) tree.configFile = autoConf !== undefined ? 'include/config/auto.conf' : '.config';
  return tree;
}

export function findHeadersTrees(set: FileSet): HeadersTree[] {
  const symlinks = symlinksByDir(set);
  const parse = parsedOnce();
  return treeRoots(set).map((root) => treeAt(set, root, symlinks, parse));
}

/**
 * Whether a path is part of a headers tree (where a leftover .o is a packaging mistake): the trees'
 * areas indexed once, each path's own directories looked up in them.
 */
export function headersTreeAreas(trees: readonly HeadersTree[]): (path: string) => boolean {
  const areas = new Set(trees.flatMap((t) => t.areas));
  if (areas.has('/')) return (path) => path.startsWith('/');
  return (path) => {
    for (let dir = path; dir !== '/'; dir = parentOf(dir)) if (areas.has(dir)) return true;
    return false;
  };
}

/** Whether `path` is part of one of `trees` (headersTreeAreas, for one path). */
export function inHeadersTree(path: string, trees: readonly HeadersTree[]): boolean {
  return headersTreeAreas(trees)(path);
}
