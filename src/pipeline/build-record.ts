/**
 * What the build machine had when kpkg wrote a set, for the formats that record it (Debian's
 * .buildinfo): its architecture and vendor, the installed packages that built the set — the
 * essential ones, build-essential, the packages of the compilers, make and the compressor kpkg
 * ran, and all they depend on (dpkg-genbuildinfo's Installed-Build-Depends) — and the environment
 * variables that change what kpkg writes.
 */
import { DPKG_STATUS, installedClosure, packagesOwning, readDpkgStatus } from '../apt/dpkg-database.js';
import type { CompressionKind } from '../archive/compress.js';
import type { StepInputs } from '../cache/fingerprint.js';
import { hostArch } from '../arch/host.js';
import type { Toolchain } from '../kernel/toolchain.js';
import type { BuildRecord } from '../package/upload.js';
import { envValue } from '../util/env.js';
import { readTextOrUndefined } from '../util/fs.js';

/** Variables kpkg or the kernel's make read while writing a set, plus the locale (as dpkg-genbuildinfo records). */
const RECORDED_VARIABLES = [
  'ARCH',
  'CC',
  'CROSS_COMPILE',
  'DEB_BUILD_OPTIONS',
  'DEBEMAIL',
  'DEBFULLNAME',
  'HOSTCC',
  'INSTALL_MOD_STRIP',
  'KBUILD_BUILD_HOST',
  'KBUILD_BUILD_USER',
  'KDEB_CHANGELOG_DIST',
  'KDEB_COMPRESS',
  'KDEB_HOOKDIR',
  'KDEB_PKGVERSION',
  'KDEB_SOURCENAME',
  'KPKG_BUILD_CACHE_MAX_MB',
  'LANG',
  'LC_ALL',
  'LLVM',
  'SOURCE_DATE_EPOCH',
] as const;

/** The programs whose packages built the set: compilers (wrappers such as ccache included), make, the compressor. */
function programsUsed(toolchain: Toolchain, compression: CompressionKind): string[] {
  const programs = (words: readonly string[]): string[] => words.filter((w) => !w.startsWith('-') && !w.includes('='));
  return [
    ...programs(toolchain.cc),
    ...programs(toolchain.hostcc),
    'make',
    ...(compression === 'xz' || compression === 'zstd' ? [compression] : []),
  ];
}

const ORIGINS = '/etc/dpkg/origins/default';

async function vendor(): Promise<string | undefined> {
  const origins = await readTextOrUndefined(ORIGINS);
  return origins === undefined ? undefined : /^Vendor:\s*(\S+)/m.exec(origins)?.[1];
}

/** What the installed packages of the record depend on: dpkg's database and the programs' files (a changed one is another package version). */
export function installedInputs(toolchain: Toolchain, compression: CompressionKind): StepInputs {
  return {
    words: ['installed-build-depends', '1'],
    files: [DPKG_STATUS, ORIGINS],
    programs: programsUsed(toolchain, compression),
  };
}

/**
 * The record; `remember` may keep the installed packages between runs under the key of
 * installedInputs (asking dpkg which package owns each program reads every file list: ~0.5 s).
 */
export async function buildRecord(
  toolchain: Toolchain,
  compression: CompressionKind,
  remember: (find: () => Promise<BuildRecord['installed']>) => Promise<BuildRecord['installed']> = (find) => find(),
  env: NodeJS.ProcessEnv = process.env,
): Promise<BuildRecord> {
  const installed = await remember(async () => {
    const status = await readDpkgStatus();
    const closure =
      status === undefined
        ? []
        : installedClosure(status, [
            'build-essential',
            ...(await packagesOwning(programsUsed(toolchain, compression))),
          ]);
    return closure.map(({ name, arch, version }) => ({ name, arch, version }));
  });
  return {
    arch: hostArch().debian,
    origin: await vendor(),
    installed,
    environment: RECORDED_VARIABLES.flatMap((name) => {
      const value = envValue(name, env);
      return value === undefined ? [] : [[name, value] as const];
    }),
  };
}
