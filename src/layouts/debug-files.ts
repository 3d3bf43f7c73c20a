/** Detached debug info where debuggers look for it — a convention every distribution shares. */
import { posix } from 'node:path';
import type { ModuleDebugFile } from '../kernel/install/debug-info.js';
import type { PackageEntry } from '../package/model.js';

/** The directory debuggers search for detached debug info (/usr/lib/debug/<path of the stripped file>). */
export const DEBUG_ROOT = '/usr/lib/debug';

/**
 * The /usr/lib/debug/.build-id/xx/yyyy.debug link of a build ID, relative like `ln --relative`
 * makes it in scripts/package/builddeb and kernel.spec.
 */
export function buildIdLink(buildId: string, target: string): PackageEntry {
  const path = `${DEBUG_ROOT}/.build-id/${buildId.slice(0, 2)}/${buildId.slice(2)}.debug`;
  return { kind: 'symlink', path, target: posix.relative(posix.dirname(path), target) };
}

/** Each module's debug file below moduleDir (at its path in /lib/modules/<release>), then its build-ID links. */
export function moduleDebugEntries(modules: readonly ModuleDebugFile[], moduleDir: string): PackageEntry[] {
  const links = new Map<string, PackageEntry>();
  const files: PackageEntry[] = [];
  for (const m of modules) {
    const path = `${moduleDir}/${m.module}`;
    files.push({ kind: 'file', path, mode: 0o644, size: m.size, source: { from: 'disk', path: m.file } });
    // Two modules with one build ID would be a link clash; like `ln -sf`, the last one wins.
    if (m.buildId !== undefined) links.set(m.buildId, buildIdLink(m.buildId, path));
  }
  return [...files, ...links.values()];
}
