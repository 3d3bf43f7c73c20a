/**
 * What every package of one kernel shares, whatever the layout: the release, the kernel version
 * and build number each layout builds its version from, the packager and the time stamp.
 */
import { execa } from 'execa';
import { stat } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { KernelTree } from '../kernel/tree.js';
import { KpkgError } from '../util/errors.js';
import { envValue } from '../util/env.js';
import { readTextOrUndefined } from '../util/fs.js';
import { isPrintable } from '../util/printable.js';

export interface PackageSet {
  /** KERNELRELEASE, e.g. "6.1.192-myboard". */
  release: string;
  /** [VERSION, PATCHLEVEL, SUBLEVEL]. */
  series: readonly [number, number, number];
  /** KERNELVERSION: "6.12.95", with EXTRAVERSION such as "-rc3", without local versions. */
  kernelVersion: string;
  /** The build number or --revision: the release part of every layout's default version. */
  revision: string;
  /** A full version given by the user (--pkg-version), used as it is by every layout. */
  version?: string | undefined;
  /** "Name <email>". */
  maintainer: string;
  /** SOURCE_DATE_EPOCH: every mtime in every package. */
  mtime: number;
}

export interface PackageSetOptions {
  version?: string | undefined;
  revision?: string | undefined;
  maintainer?: string | undefined;
  sourceDateEpoch?: number | undefined;
}

/**
 * Upstream's default revision is the build number from the object tree's .version
 * (init/build-version, scripts/build-version since 6.8). Upstream bumps it and relinks vmlinux;
 * kpkg packages the tree as built, so it uses the number the kernel was built with and changes
 * nothing in the tree.
 */
async function defaultRevision(tree: KernelTree): Promise<string> {
  const n = (await readTextOrUndefined(join(tree.objtree, '.version')))?.trim();
  return n !== undefined && /^\d+$/.test(n) ? n : '1';
}

/**
 * The maintainer as mkdebian finds it (DEBFULLNAME, DEBEMAIL; KBUILD_BUILD_USER and
 * KBUILD_BUILD_HOST make the address user@host), then git's identity, then a neutral default.
 * Unlike upstream, kpkg does not fall back to the login name and host name of the build machine:
 * the package bytes would depend on it.
 */
async function defaultMaintainer(): Promise<string> {
  const user = envValue('KBUILD_BUILD_USER');
  const host = envValue('KBUILD_BUILD_HOST');
  const name = envValue('DEBFULLNAME') ?? envValue('NAME') ?? user;
  const email =
    envValue('DEBEMAIL') ??
    envValue('EMAIL') ??
    (user === undefined && host === undefined ? undefined : `${user ?? userInfo().username}@${host ?? hostname()}`);
  if (email !== undefined && email !== '') {
    const m = /^(.*?)\s*<(.+)>$/.exec(email);
    if (m?.[2] !== undefined) return `${name ?? m[1] ?? 'Kernel Packager'} <${m[2]}>`;
    return `${name ?? 'Kernel Packager'} <${email}>`;
  }
  const git = async (key: string): Promise<string | undefined> => {
    const r = await execa('git', ['config', '--get', key], { reject: false, stdin: 'ignore' });
    return r.exitCode === 0 && r.stdout.trim() !== '' ? r.stdout.trim() : undefined;
  };
  const gitName = await git('user.name');
  const gitEmail = await git('user.email');
  if (gitEmail !== undefined) return `${name ?? gitName ?? 'Kernel Packager'} <${gitEmail}>`;
  // A syntactically valid address lintian accepts (it rejects localhost-style hosts as bogus-mail-host).
  return 'Kernel Packager <kernel-packager@example.org>';
}

/**
 * SOURCE_DATE_EPOCH from the environment (reproducible-builds.org: a non-negative integer of
 * seconds); undefined when unset or empty. Anything else is a usage error.
 */
export function sourceDateEpochFromEnvironment(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env.SOURCE_DATE_EPOCH;
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    throw new KpkgError(`SOURCE_DATE_EPOCH=${JSON.stringify(value)} is not a whole number of seconds since 1970`, {
      hint: 'unset it or set it to e.g. $(git log -1 --format=%ct)',
      exitCode: 2,
    });
  return Number(value);
}

/** SOURCE_DATE_EPOCH, else a time fixed by the tree itself: when kernel.release was written. */
async function defaultEpoch(tree: KernelTree): Promise<number> {
  return (
    sourceDateEpochFromEnvironment() ??
    Math.floor((await stat(join(tree.objtree, 'include/config/kernel.release'))).mtimeMs / 1000)
  );
}

/**
 * KERNELVERSION as the top Makefile defines it: VERSION.PATCHLEVEL.SUBLEVEL plus EXTRAVERSION
 * ("-rc3"), without CONFIG_LOCALVERSION and localversion* files.
 */
export async function kernelVersion(tree: KernelTree): Promise<string> {
  const [major, minor, sub] = tree.version;
  const makefile = (await readTextOrUndefined(join(tree.srctree, 'Makefile'))) ?? '';
  const extra = /^EXTRAVERSION\s*=[ \t]*(\S*)[ \t]*$/m.exec(makefile)?.[1] ?? '';
  return `${major}.${minor}.${sub}${extra}`;
}

/** A version every layout can carry: digits first, then letters, digits and . + ~ - : only. */
export function checkPackageVersion(version: string): string {
  if (!/^[0-9][A-Za-z0-9.+~:_-]*$/.test(version)) {
    throw new KpkgError(`"${version}" is not a valid package version`, {
      hint: 'pass --pkg-version with digits, letters and . + ~ - only, starting with a digit',
    });
  }
  return version;
}

/** A revision every layout can carry: letters, digits and . + ~ only. */
export function checkRevision(revision: string): string {
  if (!/^[A-Za-z0-9.+~]+$/.test(revision))
    throw new KpkgError(`"${revision}" is not a valid revision`, {
      hint: 'pass --revision with letters, digits and . + ~ only',
      exitCode: 2,
    });
  return revision;
}

/** A maintainer every layout can carry: one line of printable text (a format may want more: deb's "Name <email>"). */
export function checkMaintainer(maintainer: string): string {
  if (maintainer.trim() === '' || !isPrintable(maintainer))
    throw new KpkgError(
      `${JSON.stringify(maintainer)} is not a valid maintainer: it must be one line of printable text`,
      {
        hint: 'pass --maintainer "Name <email>"',
        exitCode: 2,
      },
    );
  return maintainer;
}

export async function packageSet(tree: KernelTree, options: PackageSetOptions = {}): Promise<PackageSet> {
  const revision = checkRevision(options.revision ?? (await defaultRevision(tree)));
  return {
    release: tree.release,
    series: tree.version,
    kernelVersion: await kernelVersion(tree),
    revision,
    version: options.version === undefined ? undefined : checkPackageVersion(options.version),
    maintainer: options.maintainer === undefined ? await defaultMaintainer() : checkMaintainer(options.maintainer),
    mtime: options.sourceDateEpoch ?? (await defaultEpoch(tree)),
  };
}
