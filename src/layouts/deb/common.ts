import { gzipSync } from 'node:zlib';
import type { ArchInfo } from '../../arch/arch-table.js';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import { checkPackageVersion, type PackageSet } from '../package-set.js';
import { rfcDate } from '../../util/rfc-date.js';
import { DEFAULT_DEBIAN_SETTINGS, type DebianSettings } from './settings.js';

/**
 * The version of the Debian packages: --pkg-version as given, else upstream's default,
 * "<upstream part>-<revision>". Up to 6.2 scripts/package/mkdebian's upstream part is the release
 * (KERNELRELEASE, e.g. "6.1.192-myboard"); since 6.3 it is `scripts/setlocalversion --no-local`,
 * i.e. KERNELVERSION ("6.12.95", "-rc3" included) without CONFIG_LOCALVERSION and localversion*
 * files. setlocalversion also appends a git description ("-00042-gabcdef123456") when the source
 * tree is an untagged git checkout; kpkg does not run git and leaves that out.
 */
export function debianVersion(set: PackageSet): string {
  if (set.version !== undefined) return set.version;
  const [major, minor] = set.series;
  const upstream = major < 6 || (major === 6 && minor < 3) ? set.release : set.kernelVersion;
  return checkPackageVersion(`${upstream}-${set.revision}`);
}

/** The changelog's one entry, as mkdebian writes it (the date from SOURCE_DATE_EPOCH). */
export function changelogEntry(set: PackageSet, settings: DebianSettings): string {
  return `${settings.sourceName} (${debianVersion(set)}) ${settings.distribution}; urgency=${settings.urgency}

  * Custom built Linux kernel ${set.release}, packaged by kpkg.

 -- ${set.maintainer}  ${rfcDate(set.mtime)}
`;
}

/** /usr/share/doc/<package>/copyright and changelog.Debian.gz, as mkdebian writes them. */
export function docEntries(
  packageName: string,
  set: PackageSet,
  settings: DebianSettings = DEFAULT_DEBIAN_SETTINGS,
): PackageEntry[] {
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
  const changelog = changelogEntry(set, settings);
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
  const gz = gzipSync(bytes(changelog), { level: 9 });
  // gzip header: zero the mtime (bytes 4–7) and set OS to Unix (byte 9), as `gzip -n` does.
  gz.writeUInt32LE(0, 4);
  gz[9] = 3;
  return [
    {
      kind: 'file',
      path: `${doc}/copyright`,
      mode: 0o644,
      size: bytes(copyright).length,
      source: { from: 'bytes', data: bytes(copyright) },
    },
    // Its bytes change with the version alone: the writers keep it in a block of its own (archive/xz-blocks.ts).
    {
      kind: 'file',
      path: `${doc}/changelog.Debian.gz`,
      mode: 0o644,
      size: gz.length,
      source: { from: 'bytes', data: gz },
      volatile: true,
    },
  ];
}

/** The control fields every package of the set shares, as scripts/package/mkdebian writes them. */
export function kernelPackageFields(
  set: PackageSet,
  arch: ArchInfo,
  section: string,
  settings: DebianSettings = DEFAULT_DEBIAN_SETTINGS,
): Pick<
  PackageDescription,
  'version' | 'arch' | 'source' | 'maintainer' | 'section' | 'priority' | 'homepage' | 'license' | 'mtime'
> {
  return {
    version: debianVersion(set),
    arch: arch.debian,
    source: settings.sourceName,
    maintainer: set.maintainer,
    section,
    priority: 'optional',
    homepage: 'https://www.kernel.org/',
    license: 'GPL-2.0-only',
    mtime: set.mtime,
  };
}
