/**
 * A tree changed while kpkg packaged it — a build still running, a `make` in another terminal,
 * a checkout — would give packages that mix two builds. kpkg notes the time it started and, before
 * any package reaches --out, looks at the change time (ctime: any write, rename or chmod sets it)
 * of every file of the tree it packaged: one newer than the start fails the run.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KpkgError } from '../util/errors.js';
import { IO_PARALLELISM, mapLimit } from '../util/pool.js';
import { modulesInOrder } from './install/debug-info.js';
import type { KernelParts } from './parts.js';
import type { KernelTree } from './tree.js';

/** Now, in the nanoseconds of file time stamps. */
export function fileClockNow(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}

/** The files of the tree the staged parts were made from (the modules through modules.order). */
export async function packagedInputs(tree: KernelTree, parts: KernelParts): Promise<string[]> {
  const inputs = new Set<string>([parts.config.source, parts.systemMap.source, parts.vmlinux.source]);
  for (const name of [
    'Module.symvers',
    'modules.order',
    'modules.builtin',
    'modules.builtin.modinfo',
    'include/config/kernel.release',
    'include/config/auto.conf',
  ])
    inputs.add(join(tree.objtree, name));
  if (parts.image !== undefined) {
    inputs.add(parts.image.bootImage.source);
    for (const module of await modulesInOrder(tree.objtree)) inputs.add(join(tree.objtree, module));
  }
  for (const entry of parts.headers?.entries ?? []) {
    if (entry.origin !== 'kpkg') inputs.add(entry.source);
  }
  return [...inputs];
}

/** Fails when a file of `paths` changed after `since` (see fileClockNow); a missing one counts as changed. */
export async function assertUnchangedSince(paths: readonly string[], since: bigint, tree: KernelTree): Promise<void> {
  const changed: string[] = [];
  await mapLimit(paths, IO_PARALLELISM, async (path) => {
    try {
      if ((await stat(path, { bigint: true })).ctimeNs > since) changed.push(path);
    } catch {
      changed.push(path);
    }
  });
  if (changed.length > 0) {
    const shown = changed
      .sort()
      .slice(0, 3)
      .map((p) => (p.startsWith(`${tree.objtree}/`) ? p.slice(tree.objtree.length + 1) : p));
    throw new KpkgError(
      `the tree changed while kpkg was packaging it: ${shown.join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}; nothing was written to --out`,
      {
        where: tree.objtree,
        hint: 'let the build finish (nothing else may write into the tree meanwhile), then run kpkg again',
      },
    );
  }
}
