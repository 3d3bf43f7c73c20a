import { execa } from 'execa';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { PrivateApt, type ResolvedPackage } from '../apt/private-apt.js';
import { targetArchive, type TargetArchive } from '../apt/target-release.js';
import { withLock } from '../util/file-lock.js';
import { onInterrupt } from '../util/interrupt.js';
import { KpkgError } from '../util/errors.js';
import { isDirectory } from '../util/fs.js';
import { lastLines } from '../util/last-lines.js';

/**
 * A target root kpkg makes itself: the target's -dev packages that host programs link, and their
 * run-time libraries, downloaded with a private apt state (src/apt/private-apt.ts) and unpacked —
 * not installed — into a directory that the target compiler gets as --sysroot=. No root, no
 * `dpkg --add-architecture`. Cached by suite, architecture and the exact package versions; each
 * package's control files (shlibs, symbols) are kept beside it under .kpkg/control/<package>/.
 */

/** What host programs link: libelf (objtool, resolve_btfids, gendwarfksyms), libdw (gendwarfksyms), zlib (resolve_btfids, gendwarfksyms), libcrypto (sign-file), gmp (GCC plugins). */
export const LIBRARY_PACKAGES: readonly string[] = [
  'libelf-dev',
  'libdw-dev',
  'zlib1g-dev',
  'libssl-dev',
  'libgmp-dev',
];

/**
 * What GCC plugins compile against besides gmp: the plugin headers include mpc.h (builtins.h) and
 * mpfr.h, as gcc-<N>-plugin-dev's Depends on libmpc-dev say.
 */
export const PLUGIN_BUILD_PACKAGES: readonly string[] = ['libmpc-dev'];

/** The plugin headers of the target's gcc <major>: fetched alone, its dependencies (gcc itself) are not needed to compile against it. */
export function pluginDevPackage(gccMajor: number): string {
  return `gcc-${gccMajor}-plugin-dev`;
}

/**
 * Packages whose files are not unpacked: the C library and the compiler's run-time, which the cross
 * toolchain brings itself (libc6-dev-<arch>-cross, …). Two C libraries in one link would mix headers
 * and objects of different builds. Their control files are kept all the same.
 */
const TOOLCHAIN_PROVIDED =
  /^(libc6|libc6-dev|libc-dev-bin|linux-libc-dev|libcrypt1|libcrypt-dev|libnsl2|libnsl-dev|libtirpc3t?6?4?|libtirpc-dev|libtirpc-common|rpcsvc-proto|libgcc-s1|gcc-\d+-base|libstdc\+\+6)$/;

export function unpacksData(name: string): boolean {
  return !TOOLCHAIN_PROVIDED.test(name);
}

/** Bump when the way sysroots are made changes, so old caches are not reused. */
const FORMAT_VERSION = 2;

/**
 * Makes every absolute symlink below `root` relative, pointing at the same place inside the root.
 * Debian's -dev packages link their unversioned names across directories with absolute links
 * (zlib1g-dev: usr/lib/<triplet>/libz.so -> /lib/<triplet>/libz.so.1.2.13); under --sysroot such a
 * link leads into the build machine, where it dangles, and the linker silently takes the static
 * libz.a instead — a copy of zlib inside the program (lintian: embedded-library), and no libz.so.1
 * in its DT_NEEDED for the Depends to name.
 */
export async function relativizeSymlinks(root: string): Promise<number> {
  let changed = 0;
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isSymbolicLink()) continue;
    const link = join(entry.parentPath, entry.name);
    const target = await readlink(link);
    if (!isAbsolute(target)) continue;
    await rm(link);
    await symlink(relative(dirname(link), join(root, target)) || '.', link);
    changed++;
  }
  return changed;
}

/** Directory name of a sysroot: suite, arch and a hash of the mirror and the exact package set. */
export function sysrootName(
  archive: Pick<TargetArchive, 'mirror' | 'suite'>,
  debianArch: string,
  packages: readonly ResolvedPackage[],
): string {
  const ids = packages.map((p) => `${p.name}:${p.arch}=${p.version}`).sort();
  const hash = createHash('sha256')
    .update(JSON.stringify([FORMAT_VERSION, archive.mirror, archive.suite, debianArch, ids]))
    .digest('hex')
    .slice(0, 12);
  return `${archive.suite}-${debianArch}-${hash}`;
}

export interface SysrootRequest {
  debianArch: string;
  /** kpkg's cache directory. */
  cacheDir: string;
  /** Also fetch the target gcc's plugin headers (gcc-<N>-plugin-dev) for this major version. */
  gccPluginMajor?: number | undefined;
  mirror?: string | undefined;
  suite?: string | undefined;
  /** Fetch the package lists again even when they are recent. */
  refresh?: boolean;
  onStep?: (detail: string) => void;
  onCommand?: (command: string) => void;
}

export interface TargetSysroot {
  /** The root to pass as --sysroot=. */
  root: string;
  debianArch: string;
  mirror: string;
  suite: string;
  /** Every package of the closure, with its exact version; `unpacked` false for the toolchain's own. */
  packages: (ResolvedPackage & { unpacked: boolean })[];
  /** False on a cache hit. */
  created: boolean;
}

const MANIFEST = '.kpkg/sysroot.json';

async function readManifest(root: string): Promise<TargetSysroot | undefined> {
  try {
    return { ...(JSON.parse(await readFile(join(root, MANIFEST), 'utf8')) as TargetSysroot), root, created: false };
  } catch {
    return undefined;
  }
}

async function dpkgDeb(args: readonly string[], deb: string): Promise<void> {
  const r = await execa('dpkg-deb', args, { reject: false, all: true, stdin: 'ignore' });
  if (r.exitCode !== 0)
    throw new KpkgError(`dpkg-deb ${args[0] ?? ''} failed on ${deb}:\n${lastLines(r.all ?? r.shortMessage, 5)}`, {
      where: deb,
      hint: 'apt-get install dpkg; a damaged download is fetched again after `rm` of the file named',
    });
}

/** kpkg's private apt for the target's release, and the lock its sysroots and lists are changed under. */
async function targetApt(
  request: SysrootRequest,
): Promise<{ archive: TargetArchive; apt: PrivateApt; base: string; lock: string }> {
  const { debianArch, cacheDir } = request;
  const archive = await targetArchive(debianArch, { mirror: request.mirror, suite: request.suite });
  const base = join(cacheDir, 'sysroots');
  await mkdir(base, { recursive: true });
  const apt = new PrivateApt(
    join(cacheDir, 'apt', `${archive.suite}-${debianArch}`),
    { ...archive, architectures: [debianArch] },
    request.onCommand,
  );
  return { archive, apt, base, lock: join(base, `.lock-${archive.suite}-${debianArch}`) };
}

async function updateLists(apt: PrivateApt, archive: TargetArchive, request: SysrootRequest): Promise<void> {
  request.onStep?.(`target package lists: ${archive.suite} ${request.debianArch} from ${archive.mirror}`);
  await apt.update(request.refresh === true, (w) => request.onStep?.(`warning: ${w}`));
}

/** The target release's package lists (fetched like a sysroot's): which packages its suite carries. */
export interface TargetReleaseLists {
  suite: string;
  /** Names of the suite's packages for the architecture that start with `prefix`, sorted. */
  packageNames(prefix: string): Promise<string[]>;
}

export async function targetReleaseLists(request: SysrootRequest): Promise<TargetReleaseLists> {
  const { archive, apt, lock } = await targetApt(request);
  await withLock(lock, () => updateLists(apt, archive, request));
  return { suite: archive.suite, packageNames: (prefix) => apt.packageNames(prefix) };
}

/** Prepares (or finds in the cache) the sysroot for a target. */
export async function ensureTargetSysroot(request: SysrootRequest): Promise<TargetSysroot> {
  const { debianArch } = request;
  const { archive, apt, base, lock } = await targetApt(request);
  return withLock(lock, async () => {
    await updateLists(apt, archive, request);
    const libraries = await apt.resolve([
      ...LIBRARY_PACKAGES,
      ...(request.gccPluginMajor === undefined ? [] : PLUGIN_BUILD_PACKAGES),
    ]);
    const packages = [...libraries];
    if (request.gccPluginMajor !== undefined) {
      const name = pluginDevPackage(request.gccPluginMajor);
      const plugin = await apt.candidate(name);
      if (plugin === undefined) {
        throw new KpkgError(
          `${archive.suite} has no ${name} for ${debianArch}: the kernel's GCC plugins need the plugin headers of the target's gcc ${request.gccPluginMajor}`,
          {
            hint: `build the kernel with the gcc of the target's release, choose the release that has it with --target-suite, or pass --plugin-sysroot DIR with ${name} unpacked`,
          },
        );
      }
      packages.push(plugin);
    }
    const root = join(base, sysrootName(archive, debianArch, packages));
    const cached = await readManifest(root);
    if (cached !== undefined) return cached;

    request.onStep?.(
      `fetching ${packages.length} ${debianArch} packages into a sysroot (${packages.map((p) => p.name).join(', ')})`,
    );
    const debs = await apt.download(packages);
    const tmp = await mkdtemp(join(base, '.tmp-'));
    const forget = onInterrupt(() => rm(tmp, { recursive: true, force: true }));
    try {
      const described = [];
      for (const [i, p] of packages.entries()) {
        const deb = debs[i] ?? '';
        const unpacked = unpacksData(p.name);
        if (unpacked) await dpkgDeb(['-x', deb, tmp], deb);
        const control = join(tmp, '.kpkg/control', p.name);
        await mkdir(join(tmp, '.kpkg/control'), { recursive: true });
        await dpkgDeb(['-e', deb, control], deb);
        described.push({ ...p, unpacked });
      }
      await relativizeSymlinks(tmp);
      const result: TargetSysroot = {
        root,
        debianArch,
        mirror: archive.mirror,
        suite: archive.suite,
        packages: described,
        created: true,
      };
      await writeFile(
        join(tmp, MANIFEST),
        `${JSON.stringify({ ...result, root: undefined, created: undefined }, null, 2)}\n`,
      );
      if (await isDirectory(root)) await rm(root, { recursive: true, force: true });
      await rename(tmp, root);
      return result;
    } finally {
      forget();
      await rm(tmp, { recursive: true, force: true });
    }
  });
}

/**
 * The newest sysroot already in the cache for an architecture (no network): what `kpkg doctor`
 * checks against. `withPluginsOf`: only one that holds gcc-<N>-plugin-dev; `suite`: only one of that suite.
 */
export async function cachedTargetSysroot(
  cacheDir: string,
  debianArch: string,
  filter: { withPluginsOf?: number; suite?: string } = {},
): Promise<TargetSysroot | undefined> {
  const base = join(cacheDir, 'sysroots');
  let best: { sysroot: TargetSysroot; time: number } | undefined;
  for (const name of await readdir(base).catch(() => [] as string[])) {
    if (name.startsWith('.')) continue;
    const sysroot = await readManifest(join(base, name));
    if (sysroot?.debianArch !== debianArch) continue;
    if (filter.suite !== undefined && sysroot.suite !== filter.suite) continue;
    if (
      filter.withPluginsOf !== undefined &&
      !sysroot.packages.some((p) => p.name === pluginDevPackage(filter.withPluginsOf ?? 0))
    )
      continue;
    const time = (await stat(join(base, name, MANIFEST))).mtimeMs;
    if (best === undefined || time > best.time) best = { sysroot, time };
  }
  return best?.sysroot;
}
