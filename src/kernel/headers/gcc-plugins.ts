import { join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { readTextOrUndefined } from '../../util/fs.js';
import type { ArchInfo } from '../arch-table.js';

/**
 * GCC plugins for the target.
 *
 * gcc loads a plugin only if it was built against that very gcc: plugin_default_version_check
 * compares the plugin's recorded version, date stamp and configure arguments (gcc's plugin-version.h)
 * with the running compiler's. The plugins a cross build makes are built with the build machine's g++
 * against the cross gcc's headers, so the target's own gcc refuses them twice over
 * ("cannot load plugin", "incompatible gcc/plugin versions"). kpkg rebuilds them with the cross g++
 * against the plugin headers of the target's native gcc — Debian's gcc-<N>-plugin-dev for the target
 * architecture, unpacked into a root (kpkg's sysroot, or --plugin-sysroot) — so the target gcc accepts them.
 */
export interface TargetPluginHeaders {
  /** The include directory the plugins compile against: .../gcc/<triplet>/<N>/plugin/include. */
  includeDir: string;
  /** gcc's version as the headers record it (plugin-version.h basever), e.g. "12.2.0". */
  gccVersion: string;
}

/** The major version from CONFIG_GCC_VERSION (e.g. 120200 → 12). */
export function gccMajor(gccVersion: number): number {
  return Math.floor(gccVersion / 10000);
}

/** Where gcc-<major>-plugin-dev puts the plugin headers, below a root. */
export function pluginIncludeDir(root: string, arch: ArchInfo, major: number): string {
  return join(root, 'usr/lib/gcc', arch.gnuTriplet, String(major), 'plugin/include');
}

/** The target-native gcc plugin headers in `root`; a KpkgError naming the package when they are not there. */
export async function findTargetPluginHeaders(root: string, arch: ArchInfo, gccVersion: number): Promise<TargetPluginHeaders> {
  const major = gccMajor(gccVersion);
  const includeDir = pluginIncludeDir(root, arch, major);
  const text = await readTextOrUndefined(join(includeDir, 'plugin-version.h'));
  const version = text === undefined ? undefined : /basever\[\]\s*=\s*"([^"]+)"/.exec(text)?.[1];
  if (version !== undefined) return { includeDir, gccVersion: version };
  throw new KpkgError(`no gcc ${major} plugin headers for ${arch.gnuTriplet} in ${root}`, {
    where: join(includeDir, 'plugin-version.h'),
    hint: `unpack the target's plugin headers there (\`apt-get download gcc-${major}-plugin-dev:${arch.debian} && dpkg-deb -x gcc-${major}-plugin-dev_*_${arch.debian}.deb ${root}\`), or leave out --plugin-sysroot: kpkg fetches them itself`,
  });
}
