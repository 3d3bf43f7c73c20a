import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { IO_PARALLELISM, mapLimit } from '../../util/pool.js';
import { stateOfStats } from '../../util/file-state.js';

/** A file or symlink found under a tree. Directories are implied by the paths. */
export interface FoundEntry {
  /** Path relative to the tree root, '/'-separated. */
  path: string;
  kind: 'file' | 'symlink';
  /** Absolute path on disk. */
  source: string;
  mode: number;
  size: number;
  /** The link text, for symlinks: kept as it is, never followed. */
  linkTarget?: string;
  /** util/file-state.ts's state as the walk found it (for cache keys). */
  state?: string;
}

export interface WalkRules {
  /** Skip this directory and everything below it. `name` is the last component. */
  pruneDir?: (relPath: string, name: string) => boolean;
  /** Keep this file or symlink. */
  keep?: (relPath: string, name: string) => boolean;
}

/**
 * Lists the files and symlinks below root/start (or start itself when it is a file), never following
 * symlinks, so nothing outside the tree is read. Missing starts yield nothing.
 */
export async function walk(root: string, start: string, rules: WalkRules = {}): Promise<FoundEntry[]> {
  const found: FoundEntry[] = [];
  const visit = async (rel: string): Promise<void> => {
    const abs = join(root, rel);
    let st;
    try {
      st = await lstat(abs, { bigint: true });
    } catch {
      return;
    }
    const name = rel.slice(rel.lastIndexOf('/') + 1);
    if (st.isDirectory()) {
      if (rel !== start && rules.pruneDir?.(rel, name) === true) return;
      const children = (await readdir(abs)).sort();
      await mapLimit(children, IO_PARALLELISM, (child) => visit(`${rel}/${child}`));
      return;
    }
    if (!(st.isFile() || st.isSymbolicLink())) return;
    if (rules.keep !== undefined && !rules.keep(rel, name)) return;
    if (st.isSymbolicLink()) {
      found.push({
        path: rel,
        kind: 'symlink',
        source: abs,
        mode: 0o777,
        size: 0,
        linkTarget: await readlink(abs),
        state: stateOfStats(st),
      });
    } else {
      found.push({
        path: rel,
        kind: 'file',
        source: abs,
        mode: Number(st.mode) & 0o7777,
        size: Number(st.size),
        state: stateOfStats(st),
      });
    }
  };
  await visit(start);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The directories directly below root/start whose name matches, at any depth (like `find start -name X -type d`). */
export async function findDirs(
  root: string,
  start: string,
  name: string,
  prune: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    await mapLimit(entries, IO_PARALLELISM, async (e) => {
      if (!e.isDirectory() || prune.has(e.name)) return;
      const child = `${rel}/${e.name}`;
      if (e.name === name) out.push(child);
      else await visit(child);
    });
  };
  await visit(start);
  return out.sort();
}
