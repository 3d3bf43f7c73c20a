import { execa } from 'execa';
import { chown, mkdir, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freeRange,
  parseSubordinateIds,
  SUBGID_FILE,
  SUBUID_FILE,
  TARGET_IDS,
  usableRange,
} from '../smoke/sandbox/ids.js';
import { kpkgCacheDir } from '../smoke/cache-dir.js';
import type { KpkgRun } from './run-kpkg.js';

/** The CLI built beside this file (dist/testing/ → dist/cli/bin.js; the same in any other tsc --outDir). */
const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

/**
 * Test helper: kpkg as a new user runs it — a fresh, empty HOME (no ~/.cache/kpkg, no kpkg cache
 * variables) and, for `asUser`, an ordinary account instead of root.
 */
export interface FreshHome {
  home: string;
  /** The environment kpkg runs with: HOME, and the cache variables emptied. */
  env: Record<string, string>;
}

export async function freshHome(owner?: OrdinaryUser): Promise<FreshHome> {
  const home = await mkdtemp(join(tmpdir(), 'kpkg-fresh-home-'));
  if (owner !== undefined) await chown(home, owner.uid, owner.gid);
  return { home, env: { HOME: home, XDG_CACHE_HOME: '', KPKG_CACHE_DIR: '' } };
}

export interface OrdinaryUser {
  name: string;
  uid: number;
  gid: number;
}

const USER = 'kpkg-test';

/** An unprivileged account for the tests (made once with useradd; needs root). */
export async function ordinaryUser(): Promise<OrdinaryUser> {
  let id = await execa('id', ['-u', USER], { reject: false });
  if (id.exitCode !== 0) {
    await execa('useradd', ['--system', '--no-create-home', '--shell', '/bin/sh', USER]);
    id = await execa('id', ['-u', USER]);
  }
  const gid = await execa('id', ['-g', USER]);
  return { name: USER, uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Lets the user reach `path` (kernel trees in root's cache, the repository): an ACL entry granting
 * search (x) on every directory on the way (the path itself too, when it is one) that the user cannot pass yet — nothing is made readable that was
 * not, and other users are not affected. The files themselves are world-readable as the build left them.
 */
export async function letUserReach(user: OrdinaryUser, path: string): Promise<void> {
  const dirs: string[] = [];
  const start = (await stat(path)).isDirectory() ? resolve(path) : dirname(resolve(path));
  for (let d = start; d !== '/'; d = dirname(d)) dirs.unshift(d);
  for (const d of dirs) {
    const ok = await execa('runuser', ['-u', user.name, '--', 'test', '-x', d], { reject: false });
    if (ok.exitCode !== 0) await execa('setfacl', ['-m', `u:${user.name}:x`, d]);
  }
}

/** Lets the user read one file the build made private (an ACL entry for that user only). */
export async function letUserRead(user: OrdinaryUser, file: string): Promise<void> {
  await execa('setfacl', ['-m', `u:${user.name}:r`, file]);
}

/** Takes back what letUserRead gave (an earlier run on this machine may have left it). */
export async function forbidUserRead(user: OrdinaryUser, file: string): Promise<void> {
  await execa('setfacl', ['-x', `u:${user.name}`, file], { reject: false });
}

/** Runs the built CLI as `user` with the given environment (HOME from freshHome), without a TTY. */
export async function runKpkgAs(
  user: OrdinaryUser,
  args: readonly string[],
  env: Record<string, string>,
): Promise<KpkgRun> {
  await letUserReach(user, BIN);
  const vars = Object.entries({ ...env, CI: 'true', PATH: process.env.PATH ?? '/usr/bin:/bin' }).map(
    ([k, v]) => `${k}=${v}`,
  );
  const r = await execa('runuser', ['-u', user.name, '--', 'env', ...vars, process.execPath, BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    cwd: env.HOME ?? '/',
  });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * `user` with subordinate ids (kpkg smoke's sandbox maps them): a range in /etc/subuid and /etc/subgid
 * no one else has, added once with usermod (needs root). useradd gives ordinary accounts one; the
 * test account is a system account, which it does not.
 */
export async function withSubordinateIds(user: OrdinaryUser): Promise<OrdinaryUser> {
  const [uids, gids] = await Promise.all(
    [SUBUID_FILE, SUBGID_FILE].map(async (f) => parseSubordinateIds(await readFile(f, 'utf8').catch(() => ''))),
  );
  const sandboxUser = { name: user.name, uid: user.uid, gid: user.gid };
  if (usableRange(uids ?? [], sandboxUser) !== undefined && usableRange(gids ?? [], sandboxUser) !== undefined)
    return user;
  const first = freeRange([...(uids ?? []), ...(gids ?? [])]);
  const range = `${first}-${first + TARGET_IDS - 1}`;
  await execa('usermod', ['--add-subuids', range, '--add-subgids', range, user.name]);
  return user;
}

/** A kpkg cache of `user`'s own that outlives the test (rootfs tarballs built as that user): warm after the first run. */
export async function testUserCache(user: OrdinaryUser): Promise<string> {
  const dir = join(kpkgCacheDir(), 'test-users', user.name);
  await mkdir(dir, { recursive: true });
  await chown(dir, user.uid, user.gid);
  await letUserReach(user, dir);
  return dir;
}
