import type { BigIntStats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A file's state without its contents: type, mode, inode, size, modification and change times in
 * nanoseconds; 'absent' when there is nothing at the path. Any write, chmod, rename or replacement
 * changes the change time, which no user can set back: equal states mean equal contents.
 */
export async function fileState(path: string): Promise<string> {
  try {
    return stateOfStats(await lstat(path, { bigint: true }));
  } catch {
    return 'absent';
  }
}

/** fileState from an lstat already made (with bigint: true). */
export function stateOfStats(st: BigIntStats): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : st.isFile() ? 'f' : 'o';
  return `${type} ${st.mode} ${st.ino} ${st.size} ${st.mtimeNs} ${st.ctimeNs}`;
}

/**
 * fileState and directory listings, each asked once per run: the steps' cache keys share many
 * inputs (the kernel's scripts/, the headers tree). Within a run a state cannot go stale unnoticed:
 * the packaged inputs are checked unchanged at the end (src/kernel/tree-changes.ts).
 */
export class FileStates {
  readonly #states = new Map<string, Promise<string>>();
  readonly #walks = new Map<string, Promise<string[]>>();

  state(path: string): Promise<string> {
    let found = this.#states.get(path);
    if (found === undefined) {
      found = fileState(path);
      this.#states.set(path, found);
    }
    return found;
  }

  /** Records a state read by another walk (an lstat with bigint: true) in this run. */
  prime(path: string, state: string): void {
    if (!this.#states.has(path)) this.#states.set(path, Promise.resolve(state));
  }

  /** Every path below `root` (itself included), sorted; [root] when it is not a directory. */
  walk(root: string): Promise<string[]> {
    let found = this.#walks.get(root);
    if (found === undefined) {
      found = readdir(root, { recursive: true }).then(
        (names) => [root, ...names.map((n) => join(root, n)).sort()],
        () => [root],
      );
      this.#walks.set(root, found);
    }
    return found;
  }
}
