/**
 * Who the target's root is on this machine. Every command smoke runs in the rootfs runs in a user
 * namespace whose 65536 ids map to unprivileged ids outside (user_namespaces(7)), so that root in
 * the target — dpkg, a maintainer script, make — is nobody special on the build machine:
 * - as an ordinary user, target root is that user and target ids 1–65535 are the user's subordinate
 *   ids (/etc/subuid, /etc/subgid; `unshare --map-auto --map-root-user`): files the package's scripts
 *   make are the user's, files kpkg copies in are target root's;
 * - as root, all 65536 ids are root's subordinate ids: target root is an id no one on the machine
 *   owns anything as, and what kpkg copies in is handed to it (chown).
 * newuidmap/newgidmap (Debian's uidmap) write the maps in both cases: they check /etc/subuid.
 */
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { KpkgError } from '../../util/errors.js';

/** How many ids the target has: dpkg and Debian's packages use ids up to 65534 (nobody). */
export const TARGET_IDS = 65536;

export const SUBUID_FILE = '/etc/subuid';
export const SUBGID_FILE = '/etc/subgid';

/** One line of /etc/subuid or /etc/subgid: `owner:first:count`, owner a name or a numeric id. */
export interface SubordinateRange {
  readonly owner: string;
  readonly first: number;
  readonly count: number;
}

/** The ranges of a subuid/subgid file; lines that are not `owner:first:count` are skipped, as newuidmap does. */
export function parseSubordinateIds(text: string): SubordinateRange[] {
  const ranges: SubordinateRange[] = [];
  for (const line of text.split('\n')) {
    const match = /^([^:#\s][^:]*):(\d+):(\d+)$/.exec(line.trim());
    if (match === null) continue;
    ranges.push({ owner: match[1] ?? '', first: Number(match[2]), count: Number(match[3]) });
  }
  return ranges;
}

/** Whose sandbox this is: the user kpkg runs as. */
export interface SandboxUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/** The id maps of the target's user namespace. */
export interface SandboxIds {
  readonly user: SandboxUser;
  /** First outer uid and gid of target ids 0–65535 (as root), or undefined: target root is the user itself. */
  readonly subordinate: { readonly uid: number; readonly gid: number } | undefined;
}

/** The first range of `user` with at least TARGET_IDS ids, as newuidmap would accept it. */
export function usableRange(ranges: readonly SubordinateRange[], user: SandboxUser): SubordinateRange | undefined {
  return ranges.find((r) => (r.owner === user.name || r.owner === String(user.uid)) && r.count >= TARGET_IDS);
}

/** A range of TARGET_IDS ids that no line of the files gives to anyone, for the hint. */
export function freeRange(ranges: readonly SubordinateRange[]): number {
  const end = ranges.reduce((max, r) => Math.max(max, r.first + r.count), 100_000);
  return Math.ceil(end / TARGET_IDS) * TARGET_IDS;
}

async function rangesIn(file: string): Promise<SubordinateRange[]> {
  try {
    return parseSubordinateIds(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
}

/** The user kpkg runs as. */
export function currentUser(): SandboxUser {
  const info = userInfo();
  return { name: info.username, uid: info.uid, gid: info.gid };
}

/**
 * The id maps for `user`, from /etc/subuid and /etc/subgid; a one-line error naming the command
 * that adds the missing range.
 */
export async function sandboxIds(user: SandboxUser = currentUser()): Promise<SandboxIds> {
  const uids = await rangesIn(SUBUID_FILE);
  const gids = await rangesIn(SUBGID_FILE);
  const uid = usableRange(uids, user);
  const gid = usableRange(gids, user);
  if (uid === undefined || gid === undefined) {
    const first = freeRange([...uids, ...gids]);
    const range = `${first}-${first + TARGET_IDS - 1}`;
    const missing = [uid === undefined ? SUBUID_FILE : undefined, gid === undefined ? SUBGID_FILE : undefined];
    throw new KpkgError(
      `kpkg smoke runs the packages' scripts as root of a user namespace, which needs ${TARGET_IDS} subordinate ids for ${user.name} in ${missing.filter((f) => f !== undefined).join(' and ')}`,
      {
        where: SUBUID_FILE,
        hint: `as root: usermod --add-subuids ${range} --add-subgids ${range} ${user.name}`,
      },
    );
  }
  return { user, subordinate: user.uid === 0 ? { uid: uid.first, gid: gid.first } : undefined };
}

/** The outer ids of target root: what kpkg hands the files it copies into the rootfs to. */
export function targetRootOwner(ids: SandboxIds): { uid: number; gid: number } {
  return ids.subordinate ?? { uid: ids.user.uid, gid: ids.user.gid };
}

/** unshare's arguments that enter a new user namespace with the maps of `ids`, as target root (uid and gid 0). */
export function userNamespaceArgs(ids: SandboxIds): string[] {
  if (ids.subordinate === undefined) return ['--map-auto', '--map-root-user'];
  const { uid, gid } = ids.subordinate;
  return [
    `--map-users=${uid},0,${TARGET_IDS}`,
    `--map-groups=${gid},0,${TARGET_IDS}`,
    '--setuid',
    '0',
    '--setgid',
    '0',
  ];
}
