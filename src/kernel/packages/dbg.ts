import { posix } from 'node:path';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import type { ArchInfo } from '../arch-table.js';
import type { ModuleDebugFile } from '../install/debug-info.js';
import { docEntries, kernelPackageFields, type PackageSet } from './common.js';
import { imagePackageName, type TreeFile } from './image.js';

export function dbgPackageName(release: string): string {
  return `${imagePackageName(release)}-dbg`;
}

/** The directory debuggers search for detached debug info (/usr/lib/debug/<path of the stripped file>). */
export const DEBUG_ROOT = '/usr/lib/debug';

/**
 * The /usr/lib/debug/.build-id/xx/yyyy.debug link of a build ID, relative like `ln --relative`
 * makes it in scripts/package/builddeb.
 */
export function buildIdLink(buildId: string, target: string): PackageEntry {
  const path = `${DEBUG_ROOT}/.build-id/${buildId.slice(0, 2)}/${buildId.slice(2)}.debug`;
  return { kind: 'symlink', path, target: posix.relative(posix.dirname(path), target) };
}

/**
 * linux-image-<release>-dbg, laid out as 6.12's scripts/package/builddeb does: vmlinux where perf
 * looks (/usr/lib/debug/lib/modules/<release>/vmlinux) with links where systemtap
 * (/usr/lib/debug/boot/vmlinux-<release>) and kdump-tools (/usr/lib/debug/vmlinux-<release>) look,
 * and each module's debug info beside it, reachable by build ID (gdb, debuginfod, systemtap).
 */
export function dbgPackage(vmlinux: TreeFile, modules: readonly ModuleDebugFile[], release: string, arch: ArchInfo, set: PackageSet): PackageDescription {
  const name = dbgPackageName(release);
  const moduleDir = `${DEBUG_ROOT}/lib/modules/${release}`;
  const links = new Map<string, PackageEntry>();
  const files: PackageEntry[] = [];
  for (const m of modules) {
    const path = `${moduleDir}/${m.module}`;
    files.push({ kind: 'file', path, mode: 0o644, size: m.size, source: { from: 'disk', path: m.file } });
    // Two modules with one build ID would be a link clash; like `ln -sf`, the last one wins.
    if (m.buildId !== undefined) links.set(m.buildId, buildIdLink(m.buildId, path));
  }
  return {
    name,
    ...kernelPackageFields(set, arch, 'debug'),
    summary: `Linux kernel debugging symbols for ${release}`,
    description: 'This package will come in handy if you need to debug the kernel. It provides\nall the necessary debug symbols for the kernel and its modules.',
    entries: [
      // 0644 where upstream's package keeps the build's 0755: nothing executes a debug file, and
      // lintian flags an executable there (executable-in-usr-lib).
      { kind: 'file', path: `${moduleDir}/vmlinux`, mode: 0o644, size: vmlinux.size, source: { from: 'disk', path: vmlinux.source } },
      { kind: 'symlink', path: `${DEBUG_ROOT}/boot/vmlinux-${release}`, target: `../lib/modules/${release}/vmlinux` },
      { kind: 'symlink', path: `${DEBUG_ROOT}/vmlinux-${release}`, target: `lib/modules/${release}/vmlinux` },
      ...files,
      ...links.values(),
      ...docEntries(name, set, release),
    ],
  };
}
