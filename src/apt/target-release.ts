import { archByDebian, DEBIAN_RELEASES, type DebianRelease } from '../arch/arch-table.js';
import { isFile, readTextOrUndefined } from '../util/fs.js';
import { hostDebianMirror } from './sources.js';

/**
 * Which release and archive serve a target architecture's packages: by default the build machine's
 * own Debian or Ubuntu release, so the target libraries kpkg links against match what a user of the
 * same release runs on the board.
 */
export interface HostRelease {
  /** os-release ID: debian, ubuntu, … */
  readonly id: string;
  /** VERSION_CODENAME, e.g. bookworm, noble; undefined on a machine without one. */
  readonly codename: string | undefined;
}

export function parseOsRelease(text: string): HostRelease {
  const field = (name: string): string | undefined => {
    const m = new RegExp(`^${name}=(.*)$`, 'm').exec(text);
    return m?.[1]?.trim().replace(/^"(.*)"$/, '$1') || undefined;
  };
  return { id: field('ID') ?? 'linux', codename: field('VERSION_CODENAME') };
}

export async function hostRelease(path = '/etc/os-release'): Promise<HostRelease> {
  return parseOsRelease((await readTextOrUndefined(path)) ?? '');
}

const FALLBACK_DEBIAN_SUITE = 'bookworm';

/**
 * The suite a target's packages come from: the build machine's release, or the first Debian release
 * that has the architecture (its row's firstDebianRelease) when the machine's is older (riscv64
 * entered with trixie).
 */
export function defaultTargetSuite(debianArch: string, host: HostRelease): string {
  if (host.id === 'ubuntu' && host.codename !== undefined) return host.codename;
  const own = host.id === 'debian' && host.codename !== undefined ? host.codename : FALLBACK_DEBIAN_SUITE;
  const first = archByDebian(debianArch)?.firstDebianRelease;
  if (first === undefined) return own;
  const index = (s: string): number => DEBIAN_RELEASES.indexOf(s as DebianRelease);
  return index(own) >= 0 && index(own) < index(first) ? first : own;
}

/** Ubuntu's main archive and its ports archive (the row's ubuntuArchive says which serves an architecture). */
const UBUNTU_ARCHIVE = 'http://archive.ubuntu.com/ubuntu';
const UBUNTU_PORTS = 'http://ports.ubuntu.com/ubuntu-ports';

export interface TargetArchive {
  readonly mirror: string;
  readonly suite: string;
  readonly components: readonly string[];
  readonly keyring: string | undefined;
}

/** Where the target's packages come from, with --mirror/--target-suite overriding the defaults. */
export async function targetArchive(
  debianArch: string,
  choose: { mirror?: string | undefined; suite?: string | undefined } = {},
  host?: HostRelease,
): Promise<TargetArchive> {
  const release = host ?? (await hostRelease());
  const ubuntu = release.id === 'ubuntu';
  const suite = choose.suite ?? defaultTargetSuite(debianArch, release);
  const mirror = (
    choose.mirror ??
    (ubuntu
      ? archByDebian(debianArch)?.ubuntuArchive === 'archive'
        ? UBUNTU_ARCHIVE
        : UBUNTU_PORTS
      : await hostDebianMirror())
  ).replace(/\/+$/, '');
  const keyringPath = ubuntu
    ? '/usr/share/keyrings/ubuntu-archive-keyring.gpg'
    : '/usr/share/keyrings/debian-archive-keyring.gpg';
  return {
    mirror,
    suite,
    components: ubuntu ? ['main', 'universe'] : ['main'],
    keyring: (await isFile(keyringPath)) ? keyringPath : undefined,
  };
}
