import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { listStagedTree } from '../kernel/install/staged-tree.js';

/** Test helper: every entry below `root` as "kind path mode" → the sha256 of a file's bytes ('' for others). */
export async function stagedDigests(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const item of await listStagedTree(root)) {
    out.set(
      `${item.kind} ${item.path} ${item.mode.toString(8)}`,
      item.kind === 'file'
        ? createHash('sha256')
            .update(await readFile(item.source))
            .digest('hex')
        : '',
    );
  }
  return out;
}

/** Test helper: asserts two stagedDigests maps are equal, naming the entries only one has and the files that differ. */
export function sameStagedTrees(
  ours: ReadonlyMap<string, string>,
  theirs: ReadonlyMap<string, string>,
  equal: (actual: unknown, expected: unknown, message: string) => void,
): void {
  equal(
    [...ours.keys()].filter((k) => !theirs.has(k)),
    [],
    'entries only kpkg wrote',
  );
  equal(
    [...theirs.keys()].filter((k) => !ours.has(k)),
    [],
    'entries only make wrote',
  );
  equal(
    [...ours].filter(([k, v]) => theirs.get(k) !== v).map(([k]) => k),
    [],
    'files whose bytes differ',
  );
}
