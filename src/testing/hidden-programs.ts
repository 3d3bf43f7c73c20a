import { mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * Test helper: a machine that lacks some programs, without uninstalling anything — one directory of
 * symbolic links to every program of a PATH except the hidden ones, the first of each name as the
 * shell would find it. A compiler found through a link still finds its own files (gcc resolves its
 * real path), so everything else works as it does on the real PATH.
 */
export interface HiddenPrograms {
  /** The PATH to use: that one directory. */
  path: string;
  dispose: () => Promise<void>;
}

export async function pathWithout(
  hidden: readonly string[],
  path: string = process.env.PATH ?? '',
): Promise<HiddenPrograms> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-path-without-'));
  const linked = new Set(hidden);
  for (const entry of path.split(delimiter).filter((d) => d !== '' && isAbsolute(d))) {
    const names = await readdir(entry).catch(() => [] as string[]);
    for (const name of names) {
      if (linked.has(name)) continue;
      linked.add(name);
      await symlink(join(entry, name), join(dir, name));
    }
  }
  return { path: dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs `work` with process.env.PATH set to `path` (the checks look programs up there), then puts it back. */
export async function withPath<T>(path: string, work: () => Promise<T>): Promise<T> {
  const saved = process.env.PATH;
  process.env.PATH = path;
  try {
    return await work();
  } finally {
    process.env.PATH = saved;
  }
}
