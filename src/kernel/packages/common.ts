import { execa } from 'execa';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import type { ArchInfo } from '../arch-table.js';
import { KpkgError } from '../../util/errors.js';
import { readTextOrUndefined } from '../../util/fs.js';
import type { KernelTree } from '../tree.js';

/** What every package of one kernel shares: source name, version, maintainer, time stamp. */
export interface PackageSet {
  /** KDEB_SOURCENAME's default in scripts/package/mkdebian. */
  source: string;
  version: string;
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
 * Upstream's default version (scripts/package/mkdebian) is "<release>-<build number>", the build
 * number coming from the object tree's .version (init/build-version, scripts/build-version since 6.8).
 * Upstream bumps it and relinks vmlinux; kpkg packages the tree as built, so it uses the number the
 * kernel was built with and changes nothing in the tree.
 */
async function defaultRevision(tree: KernelTree): Promise<string> {
  const n = (await readTextOrUndefined(join(tree.objtree, '.version')))?.trim();
  return n !== undefined && /^\d+$/.test(n) ? n : '1';
}

/**
 * The maintainer as mkdebian finds it (DEBFULLNAME, DEBEMAIL), then git's identity, then a neutral
 * default. Unlike upstream, kpkg does not fall back to user@hostname: that would make the package
 * bytes depend on the build machine.
 */
async function defaultMaintainer(): Promise<string> {
  const name = process.env.DEBFULLNAME ?? process.env.NAME;
  const email = process.env.DEBEMAIL ?? process.env.EMAIL;
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

/** SOURCE_DATE_EPOCH, else a time fixed by the tree itself: when kernel.release was written. */
async function defaultEpoch(tree: KernelTree): Promise<number> {
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env !== undefined && env !== '') {
    if (!/^\d+$/.test(env)) throw new KpkgError(`SOURCE_DATE_EPOCH=${env} is not a number of seconds`, { hint: 'unset it or set it to e.g. $(git log -1 --format=%ct)' });
    return Number(env);
  }
  return Math.floor((await stat(join(tree.objtree, 'include/config/kernel.release'))).mtimeMs / 1000);
}

/**
 * The upstream part of the default version. Up to 6.2 scripts/package/mkdebian used the release
 * (KERNELRELEASE, e.g. "6.1.192-myboard"); since 6.3 it uses `scripts/setlocalversion --no-local`,
 * i.e. KERNELVERSION ("6.12.95", with EXTRAVERSION such as "-rc3") without CONFIG_LOCALVERSION and
 * localversion* files. setlocalversion also appends a git description ("-00042-gabcdef123456") when
 * the source tree is an untagged git checkout; kpkg does not run git and leaves that out.
 */
export async function upstreamVersion(tree: KernelTree): Promise<string> {
  const [major, minor, sub] = tree.version;
  if (major < 6 || (major === 6 && minor < 3)) return tree.release;
  const makefile = (await readTextOrUndefined(join(tree.srctree, 'Makefile'))) ?? '';
  const extra = /^EXTRAVERSION\s*=[ \t]*(\S*)[ \t]*$/m.exec(makefile)?.[1] ?? '';
  return `${major}.${minor}.${sub}${extra}`;
}

export async function packageSet(tree: KernelTree, options: PackageSetOptions = {}): Promise<PackageSet> {
  const version = options.version ?? `${await upstreamVersion(tree)}-${options.revision ?? (await defaultRevision(tree))}`;
  if (!/^[0-9][A-Za-z0-9.+~:-]*$/.test(version)) {
    throw new KpkgError(`"${version}" is not a valid package version`, { hint: 'pass --version with digits, letters and . + ~ - only, starting with a digit' });
  }
  return {
    source: 'linux-upstream',
    version,
    maintainer: options.maintainer ?? (await defaultMaintainer()),
    mtime: options.sourceDateEpoch ?? (await defaultEpoch(tree)),
  };
}

/** /usr/share/doc/<package>/copyright and changelog.Debian.gz, as mkdebian writes them. */
export function docEntries(packageName: string, set: PackageSet, release: string): PackageEntry[] {
  const doc = `/usr/share/doc/${packageName}`;
  const copyright = `This is a packaged upstream version of the Linux kernel.

The sources may be found at most Linux archive sites, including:
https://www.kernel.org/pub/linux/kernel

Copyright: 1991 - ${new Date(set.mtime * 1000).getUTCFullYear()} Linus Torvalds and others.

The git repository for mainline kernel development is at:
git://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git

    This program is free software; you can redistribute it and/or modify
    it under the terms of the GNU General Public License as published by
    the Free Software Foundation; version 2 dated June, 1991.

On Debian GNU/Linux systems, the complete text of the GNU General Public
License version 2 can be found in \`/usr/share/common-licenses/GPL-2'.
`;
  const date = new Date(set.mtime * 1000).toUTCString().replace('GMT', '+0000');
  const changelog = `${set.source} (${set.version}) unstable; urgency=low

  * Custom built Linux kernel ${release}, packaged by kpkg.

 -- ${set.maintainer}  ${date}
`;
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const gz = gzipSync(bytes(changelog), { level: 9 });
  // gzip header: zero the mtime (bytes 4–7) and set OS to Unix (byte 9), as `gzip -n` does.
  gz.writeUInt32LE(0, 4);
  gz[9] = 3;
  return [
    { kind: 'file', path: `${doc}/copyright`, mode: 0o644, size: bytes(copyright).length, source: { from: 'bytes', data: bytes(copyright) } },
    { kind: 'file', path: `${doc}/changelog.Debian.gz`, mode: 0o644, size: gz.length, source: { from: 'bytes', data: gz } },
  ];
}

/** The control fields every package of the set shares, as scripts/package/mkdebian writes them. */
export function kernelPackageFields(set: PackageSet, arch: ArchInfo, section: string): Pick<PackageDescription, 'version' | 'arch' | 'source' | 'maintainer' | 'section' | 'priority' | 'homepage' | 'license' | 'mtime'> {
  return {
    version: set.version,
    arch: arch.debian,
    source: set.source,
    maintainer: set.maintainer,
    section,
    priority: 'optional',
    homepage: 'https://www.kernel.org/',
    license: 'GPL-2.0-only',
    mtime: set.mtime,
  };
}
