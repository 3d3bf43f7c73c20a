/**
 * rpm Requires and pacman depends name no Debian package, and a tarball declares nothing: for those
 * formats the Debian packages that provide what the packages' programs need — the sonames of their
 * ELF files' DT_NEEDED, looked up in the shlibs/symbols data of kpkg's sysroot of the same suite —
 * stand in for their dependencies in the smoke rootfs. (A .deb brings its own Depends.)
 */
import { ShlibsDatabase } from '../../debian/database.js';
import { conventionalPackages } from '../../debian/soname-packages.js';
import { ensureTargetSysroot } from '../../sysroot/target-sysroot.js';
import { kpkgCacheDir } from '../../util/cache.js';
import { readInput } from '../../reader/open.js';

export interface LibraryTarget {
  debianArch: string;
  suite: string;
  mirror: string;
}

/** The sonames the packages' ELF files need that the packages do not ship themselves. */
export async function neededSonames(files: readonly string[]): Promise<string[]> {
  const members = [];
  for (const file of files) members.push(...(await readInput(file)).members);
  const provided = new Set(members.flatMap((m) => (m.dynamic?.soname === undefined ? [] : [m.dynamic.soname])));
  const needed = new Set(members.flatMap((m) => m.dynamic?.needed ?? []).filter((soname) => !provided.has(soname)));
  return [...needed].sort();
}

/** The Debian packages of `suite` that provide the sonames the packages need. */
export async function neededLibraryPackages(files: readonly string[], target: LibraryTarget): Promise<string[]> {
  const sonames = await neededSonames(files);
  if (sonames.length === 0) return [];
  const sysroot = await ensureTargetSysroot({
    debianArch: target.debianArch,
    suite: target.suite,
    mirror: target.mirror,
    cacheDir: kpkgCacheDir(),
  });
  const data = await ShlibsDatabase.fromControlDirs(sysroot.root, { architecture: target.debianArch });
  const names = sonames.map((soname) => data.packageOf(soname) ?? conventionalPackages(soname)[0] ?? soname);
  return [...new Set(names)].sort();
}
