/** The modules tree modules_install staged (lib/modules/<release>/...), moved to a layout's directory. */
import type { StagedItem } from '../kernel/install/staged-tree.js';
import { DEPMOD_OUTPUTS } from '../kernel/parts.js';
import type { PackageEntry } from '../package/model.js';
import { stagedEntry } from './staged-entries.js';

export interface ModulesDirOptions {
  /** Leave out depmod's indexes, for package managers that run depmod on install. */
  withoutDepmodOutputs?: boolean;
}

/**
 * The entries of lib/modules/<release> and below (the directory itself included, its parents
 * not), at `modulesDir` instead.
 */
export function modulesDirEntries(
  modules: readonly StagedItem[],
  release: string,
  modulesDir: string,
  options: ModulesDirOptions = {},
): PackageEntry[] {
  const staged = `lib/modules/${release}`;
  const dropped = new Set(
    options.withoutDepmodOutputs === true ? DEPMOD_OUTPUTS.map((name) => `${staged}/${name}`) : [],
  );
  return modules
    .filter((item) => (item.path === staged || item.path.startsWith(`${staged}/`)) && !dropped.has(item.path))
    .map((item) => stagedEntry(item, `${modulesDir}${item.path.slice(staged.length)}`));
}
