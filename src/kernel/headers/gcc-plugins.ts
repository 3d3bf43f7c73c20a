import { join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { readTextOrUndefined } from '../../util/fs.js';
import type { ArchInfo } from '../../arch/arch-table.js';

/**
 * GCC plugins for the target.
 *
 * gcc loads a plugin only if it was built against that very gcc: plugin_default_version_check
 * (gcc/plugin.cc) compares the plugin's recorded basever, datestamp, devphase, revision and
 * configure arguments (plugin-version.h, configargs.h) with the running compiler's. The plugins a
 * cross build makes are built with the build machine's g++ against the cross gcc's headers, so the
 * target's own gcc refuses them twice over ("cannot load plugin", "incompatible gcc/plugin
 * versions"). kpkg rebuilds them with the cross g++ against the plugin headers of the target's
 * native gcc — Debian's gcc-<N>-plugin-dev for the target architecture, unpacked into a root
 * (kpkg's sysroot, or --plugin-sysroot) — so the target gcc accepts them, and only that build of it.
 */
export interface TargetPluginHeaders {
  /** The include directory the plugins compile against: .../gcc/<triplet>/<N>/plugin/include. */
  includeDir: string;
  /** The compiler build the headers belong to: the only one that will load the plugins. */
  compiler: PluginCompiler;
}

/** What identifies a gcc build to its plugin loader, as its plugin headers record it. */
export interface PluginCompiler {
  /** gcc's major version, e.g. 12 (the -<N> of gcc-<N>, cpp-<N>). */
  major: number;
  /** plugin-version.h basever, e.g. "12.2.0". */
  basever: string;
  /** plugin-version.h datestamp, e.g. "20220819". */
  datestamp: string;
  /** --with-pkgversion from configargs.h, e.g. "Debian 12.2.0-14+deb12u1" (the distribution's build). */
  pkgversion?: string | undefined;
  /** The full configure line (configargs.h configuration_arguments). */
  configure: string;
}

/** The major version from CONFIG_GCC_VERSION (e.g. 120200 → 12). */
export function gccMajor(gccVersion: number): number {
  return Math.floor(gccVersion / 10000);
}

/** Where gcc-<major>-plugin-dev puts the plugin headers, below a root. */
export function pluginIncludeDir(root: string, arch: ArchInfo, major: number): string {
  return join(root, 'usr/lib/gcc', arch.gnuTriplet, String(major), 'plugin/include');
}

function cString(text: string, name: string): string | undefined {
  return new RegExp(`\\b${name}\\[\\]\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(text)?.[1]?.replace(/\\(.)/g, '$1');
}

/** The compiler a plugin-version.h and configargs.h describe; undefined when they do not parse. */
export function parsePluginCompiler(major: number, versionH: string, configargsH: string): PluginCompiler | undefined {
  const basever = cString(versionH, 'basever');
  const datestamp = cString(versionH, 'datestamp');
  const configure = cString(configargsH, 'configuration_arguments');
  if (basever === undefined || datestamp === undefined || configure === undefined) return undefined;
  const pkgversion = /--with-pkgversion=(?:'([^']*)'|"([^"]*)"|(\S+))/.exec(configure);
  return { major, basever, datestamp, pkgversion: pkgversion?.[1] ?? pkgversion?.[2] ?? pkgversion?.[3], configure };
}

/** The Debian version of the gcc build ("12.2.0-14+deb12u1" from "Debian 12.2.0-14+deb12u1"), when Debian built it. */
export function debianCompilerVersion(compiler: PluginCompiler): string | undefined {
  return /^Debian (\S+)$/.exec(compiler.pkgversion ?? '')?.[1];
}

/** One line for people: "gcc 12.2.0 (Debian 12.2.0-14+deb12u1)". */
export function describeCompiler(compiler: PluginCompiler): string {
  return `gcc ${compiler.basever}${compiler.pkgversion === undefined ? ` (${compiler.datestamp})` : ` (${compiler.pkgversion})`}`;
}

/**
 * The headers package records the compiler its plugins were built against in this file of the
 * headers tree, so that people, `kpkg inspect` and `kpkg verify` can tell which gcc build on the
 * target will load them.
 */
export const PLUGIN_COMPILER_RECORD = 'scripts/gcc-plugins/kpkg-target-gcc';

export function pluginCompilerRecord(compiler: PluginCompiler): string {
  return [
    '# The GCC plugins in this directory were built against this gcc build; gcc loads them into no other',
    '# (plugin_default_version_check). After a gcc update on this machine, rebuild the headers package.',
    `major: ${compiler.major}`,
    `basever: ${compiler.basever}`,
    `datestamp: ${compiler.datestamp}`,
    ...(compiler.pkgversion === undefined ? [] : [`pkgversion: ${compiler.pkgversion}`]),
    `configure: ${compiler.configure}`,
    '',
  ].join('\n');
}

export function parsePluginCompilerRecord(text: string): PluginCompiler | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([a-z]+): (.*)$/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) fields.set(m[1], m[2]);
  }
  const major = Number(fields.get('major'));
  const basever = fields.get('basever');
  const datestamp = fields.get('datestamp');
  const configure = fields.get('configure');
  if (!Number.isInteger(major) || basever === undefined || datestamp === undefined || configure === undefined)
    return undefined;
  return { major, basever, datestamp, pkgversion: fields.get('pkgversion'), configure };
}

/**
 * Refuses, before anything is built, plugins for a target whose gcc is known (--target-gcc) to be
 * another build than the plugin headers': that gcc would refuse every plugin on the board.
 * `expected` is a distribution version ("12.2.0-14+deb12u1", compared with the build's
 * --with-pkgversion) or a plain gcc version ("12.2.0", compared with basever).
 */
export function assertTargetCompiler(
  compiler: PluginCompiler,
  expected: string | undefined,
  headersRoot: string,
): void {
  if (expected === undefined) return;
  const debian = debianCompilerVersion(compiler);
  const matches = /^\d+(\.\d+)*$/.test(expected)
    ? expected === compiler.basever
    : expected === debian || expected === compiler.pkgversion;
  if (matches) return;
  throw new KpkgError(
    `the target's gcc is ${expected}, but the GCC plugin headers are those of ${describeCompiler(compiler)}: that gcc would refuse every plugin ("incompatible gcc/plugin versions")`,
    {
      where: headersRoot,
      hint: `give the plugin headers of the target's own gcc (gcc-${compiler.major}-plugin-dev ${expected}) with --plugin-sysroot DIR or the release that has it with --target-suite, or update gcc on the target to ${debian ?? compiler.basever} and pass --target-gcc ${debian ?? compiler.basever}`,
      exitCode: 1,
    },
  );
}

/** The target-native gcc plugin headers in `root`; a KpkgError naming the package when they are not there. */
export async function findTargetPluginHeaders(
  root: string,
  arch: ArchInfo,
  gccVersion: number,
): Promise<TargetPluginHeaders> {
  const major = gccMajor(gccVersion);
  const includeDir = pluginIncludeDir(root, arch, major);
  const versionH = await readTextOrUndefined(join(includeDir, 'plugin-version.h'));
  const configargsH = await readTextOrUndefined(join(includeDir, 'configargs.h'));
  const compiler =
    versionH === undefined || configargsH === undefined ? undefined : parsePluginCompiler(major, versionH, configargsH);
  if (compiler !== undefined) return { includeDir, compiler };
  throw new KpkgError(`no gcc ${major} plugin headers for ${arch.gnuTriplet} in ${root}`, {
    where: join(includeDir, 'plugin-version.h'),
    hint: `unpack the target's plugin headers there (\`apt-get download gcc-${major}-plugin-dev:${arch.debian} && dpkg-deb -x gcc-${major}-plugin-dev_*_${arch.debian}.deb ${root}\`), or leave out --plugin-sysroot: kpkg fetches them itself`,
  });
}
