import { execa } from 'execa';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { isDirectory, isFile, readTextOrUndefined } from '../../util/fs.js';
import type { ArchInfo } from '../arch-table.js';

/**
 * GCC plugins for the target.
 *
 * gcc loads a plugin only if it was built against that very gcc: plugin_default_version_check
 * compares the plugin's recorded version, date stamp and configure arguments (gcc's plugin-version.h)
 * with the running compiler's. The plugins a cross build makes are built with the build machine's g++
 * against the cross gcc's headers, so the target's own gcc refuses them twice over
 * ("cannot load plugin", "incompatible gcc/plugin versions"). kpkg rebuilds them with the cross g++
 * against the plugin headers of the target's native gcc — Debian's gcc-<N>-plugin-dev:<arch>,
 * unpacked (it cannot be installed beside the build machine's gcc) — so the target gcc accepts them.
 */
export interface TargetPluginHeaders {
  /** The include directory the plugins compile against: .../gcc/<triplet>/<N>/plugin/include. */
  includeDir: string;
  /** gcc's version as the headers record it (plugin-version.h basever), e.g. "12.2.0". */
  gccVersion: string;
  /** Where the headers came from, for messages. */
  origin: string;
}

/** The major version from CONFIG_GCC_VERSION (e.g. 120200 → 12). */
export function gccMajor(gccVersion: number): number {
  return Math.floor(gccVersion / 10000);
}

export function pluginDevPackage(major: number, arch: ArchInfo): string {
  return `gcc-${major}-plugin-dev:${arch.debian}`;
}

async function basever(includeDir: string): Promise<string | undefined> {
  const text = await readTextOrUndefined(join(includeDir, 'plugin-version.h'));
  return text === undefined ? undefined : /basever\[\]\s*=\s*"([^"]+)"/.exec(text)?.[1];
}

async function headersIn(root: string, arch: ArchInfo, major: number, origin: string): Promise<TargetPluginHeaders | undefined> {
  const includeDir = join(root, 'usr/lib/gcc', arch.gnuTriplet, String(major), 'plugin/include');
  const version = await basever(includeDir);
  return version === undefined ? undefined : { includeDir, gccVersion: version, origin };
}

export interface FindPluginHeadersOptions {
  arch: ArchInfo;
  /** CONFIG_GCC_VERSION of the kernel, e.g. 120200. */
  gccVersion: number;
  /** kpkg's cache, e.g. ~/.cache/kpkg. */
  cacheDir: string;
  /** A root where gcc-<N>-plugin-dev:<arch> is unpacked or installed (a sysroot); skips the download. */
  sysroot?: string | undefined;
  onStep?: (detail: string) => void;
}

/**
 * Finds the target-native gcc plugin headers: in the given sysroot, else in kpkg's cache, else by
 * downloading gcc-<N>-plugin-dev:<arch> with apt-get and unpacking it into the cache.
 */
export async function findTargetPluginHeaders(options: FindPluginHeadersOptions): Promise<TargetPluginHeaders> {
  const { arch, cacheDir } = options;
  const major = gccMajor(options.gccVersion);
  const pkg = pluginDevPackage(major, arch);
  if (options.sysroot !== undefined) {
    const found = await headersIn(options.sysroot, arch, major, options.sysroot);
    if (found !== undefined) return found;
    throw new KpkgError(`no gcc ${major} plugin headers for ${arch.gnuTriplet} in ${options.sysroot}`, {
      where: join(options.sysroot, 'usr/lib/gcc', arch.gnuTriplet, String(major), 'plugin/include/plugin-version.h'),
      hint: `unpack the target's plugin headers there: \`apt-get download ${pkg} && dpkg-deb -x gcc-${major}-plugin-dev_*_${arch.debian}.deb ${options.sysroot}\``,
    });
  }
  const cached = join(cacheDir, 'gcc-plugin-dev', `gcc-${major}-${arch.debian}`);
  const hit = await headersIn(cached, arch, major, `${pkg} (cached in ${cached})`);
  if (hit !== undefined) return hit;

  const why = `the kernel has GCC plugins, and the target's gcc ${major} loads only plugins built against its own headers (${pkg})`;
  if (!(await isFile('/usr/bin/apt-get'))) {
    throw new KpkgError(`${why}, and this machine has no apt-get to fetch them`, { hint: `unpack ${pkg} (or your distribution's equivalent) into a directory and pass it with --plugin-sysroot DIR` });
  }
  options.onStep?.(`downloading ${pkg} (target gcc plugin headers)`);
  const tmp = await mkdtemp(join(cacheDir, '.plugin-dev-'));
  try {
    const dl = await execa('apt-get', ['download', pkg], { cwd: tmp, reject: false, all: true, stdin: 'ignore' });
    const deb = (await readdir(tmp)).find((f) => f.endsWith('.deb'));
    if (dl.exitCode !== 0 || deb === undefined) {
      throw new KpkgError(`${why}, and \`apt-get download ${pkg}\` failed:\n${(dl.all ?? '').split('\n').slice(-5).join('\n')}`, {
        hint: `enable the ${arch.debian} architecture (\`dpkg --add-architecture ${arch.debian} && apt-get update\`), or unpack ${pkg} yourself and pass --plugin-sysroot DIR`,
      });
    }
    const root = join(tmp, 'root');
    await execa('dpkg-deb', ['-x', join(tmp, deb), root]);
    const found = await headersIn(root, arch, major, pkg);
    if (found === undefined) throw new KpkgError(`${deb} has no plugin-version.h for ${arch.gnuTriplet} gcc ${major}`, { where: join(tmp, deb) });
    await mkdir(join(cacheDir, 'gcc-plugin-dev'), { recursive: true });
    if (!(await isDirectory(cached))) await rename(root, cached);
    const result = await headersIn(cached, arch, major, `${pkg} (downloaded to ${cached})`);
    if (result === undefined) throw new KpkgError(`could not cache the plugin headers in ${cached}`, { where: cached });
    return result;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
