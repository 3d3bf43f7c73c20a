import type { ArchInfo } from '../../arch/arch-table.js';
import type { DebugContents } from '../../kernel/parts.js';
import type { PackageDescription } from '../../package/model.js';
import { DEBUG_ROOT, moduleDebugEntries } from '../debug-files.js';
import type { PackageSet } from '../package-set.js';
import { docEntries, kernelPackageFields } from './common.js';
import { DEFAULT_DEBIAN_SETTINGS, type DebianSettings } from './settings.js';
import { imagePackageName } from './image.js';

export function dbgPackageName(release: string): string {
  return `${imagePackageName(release)}-dbg`;
}

/**
 * linux-image-<release>-dbg, laid out as 6.12's scripts/package/builddeb does: vmlinux where perf
 * looks (/usr/lib/debug/lib/modules/<release>/vmlinux) with links where systemtap
 * (/usr/lib/debug/boot/vmlinux-<release>) and kdump-tools (/usr/lib/debug/vmlinux-<release>) look,
 * and each module's debug info beside it, reachable by build ID (gdb, debuginfod, systemtap).
 */
export function dbgPackage(
  debug: DebugContents,
  release: string,
  arch: ArchInfo,
  set: PackageSet,
  settings: DebianSettings = DEFAULT_DEBIAN_SETTINGS,
): PackageDescription {
  const name = dbgPackageName(release);
  const moduleDir = `${DEBUG_ROOT}/lib/modules/${release}`;
  return {
    name,
    ...kernelPackageFields(set, arch, 'debug', settings),
    summary: `Linux kernel debugging symbols for ${release}`,
    description:
      'This package will come in handy if you need to debug the kernel. It provides\nall the necessary debug symbols for the kernel and its modules.',
    entries: [
      // 0644 where upstream's package keeps the build's 0755: nothing executes a debug file, and
      // lintian flags an executable there (executable-in-usr-lib).
      {
        kind: 'file',
        path: `${moduleDir}/vmlinux`,
        mode: 0o644,
        size: debug.vmlinux.size,
        source: { from: 'disk', path: debug.vmlinux.source },
      },
      { kind: 'symlink', path: `${DEBUG_ROOT}/boot/vmlinux-${release}`, target: `../lib/modules/${release}/vmlinux` },
      { kind: 'symlink', path: `${DEBUG_ROOT}/vmlinux-${release}`, target: `lib/modules/${release}/vmlinux` },
      ...moduleDebugEntries(debug.modules, moduleDir),
      ...docEntries(name, set, settings),
    ],
  };
}
