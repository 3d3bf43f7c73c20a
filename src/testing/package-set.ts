import type { PackageSet } from '../layouts/package-set.js';

/** A package set as packageSet() gives it for a kernel of this release, revision 1, fixed maintainer and time. */
export function testPackageSet(release: string, revision = '1'): PackageSet {
  const [major = 0, minor = 0, sub = 0] = release.split(/[.-]/).map(Number);
  return {
    release,
    series: [major, minor, sub],
    kernelVersion: `${major}.${minor}.${sub}`,
    revision,
    maintainer: 'Kpkg Test <kpkg@example.org>',
    mtime: 1700000000,
  };
}
