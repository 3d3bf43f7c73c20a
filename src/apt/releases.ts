/**
 * The facts a Debian package tells its release by (the releases themselves, in order, are
 * DEBIAN_RELEASES of the architecture table): the release's number in stable updates' and backports'
 * versions (`+deb12u1`, `~bpo12+1`), and the upstream version of the C library it ships (a
 * `libc6 (>= 2.38)` cannot be installed where glibc is older).
 */
import { DEBIAN_RELEASES, type DebianRelease } from '../arch/arch-table.js';
import { compareDebianVersions, parseDebianVersion } from '../debian/version.js';

interface ReleaseFacts {
  /** The release's version number; sid has none. */
  readonly number?: number;
  /** Upstream version of its libc6 (glibc). */
  readonly glibc: string;
}

const RELEASE_FACTS: Readonly<Record<DebianRelease, ReleaseFacts>> = {
  buster: { number: 10, glibc: '2.28' },
  bullseye: { number: 11, glibc: '2.31' },
  bookworm: { number: 12, glibc: '2.36' },
  trixie: { number: 13, glibc: '2.41' },
  forky: { number: 14, glibc: '2.42' },
  sid: { glibc: '2.42' },
};

/** The later of two releases. */
export function laterRelease(a: DebianRelease, b: DebianRelease): DebianRelease {
  return DEBIAN_RELEASES.indexOf(a) >= DEBIAN_RELEASES.indexOf(b) ? a : b;
}

/** The release a version names (`6.1.158-1+deb12u1`, `6.12.9-1~bpo12+1`: bookworm), if it names one. */
export function releaseOfVersion(version: string): DebianRelease | undefined {
  const m = /[+~](?:deb|bpo)(\d+)/.exec(version);
  if (m === null) return undefined;
  const number = Number(m[1]);
  return DEBIAN_RELEASES.find((r) => RELEASE_FACTS[r].number === number);
}

/** The first release whose C library satisfies `libc6 (>= version)`; undefined when none of them does. */
export function firstReleaseWithGlibc(version: string): DebianRelease | undefined {
  const upstream = parseDebianVersion(version).upstream;
  return DEBIAN_RELEASES.find((r) => compareDebianVersions(RELEASE_FACTS[r].glibc, upstream) >= 0);
}
