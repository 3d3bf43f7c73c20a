/**
 * The rootfs directory on this machine, owned by target ids (ids.ts): unpacked and removed by the
 * host's own tar and rm run as target root (in a user namespace, not in the sandbox: they are
 * kpkg's programs on kpkg's cached tarball), and what kpkg copies in handed to target root.
 */
import { chown, lchown, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { asTargetRootArgv } from './entry.js';
import { targetRootOwner, type SandboxIds } from './ids.js';

/**
 * tar's arguments that unpack a rootfs tarball from stdin into `dir`, keeping the target's ids and
 * modes. /dev is left empty: a user namespace may not make device nodes, and the sandbox mounts its
 * own minimal /dev there.
 */
export function unpackArgs(dir: string): string[] {
  return [
    'tar',
    '--extract',
    `--directory=${dir}`,
    '--numeric-owner',
    '--preserve-permissions',
    '--xattrs',
    '--xattrs-include=*',
    '--exclude=./dev/*',
  ];
}

/**
 * Unpacks the zstd tarball into `dir` (empty, made by the caller) as target root. kpkg reads the
 * tarball and pipes it in: target root may not be able to open kpkg's cache (e.g. under /root).
 */
export async function unpackAsTargetRoot(ids: SandboxIds, tarball: string, dir: string): Promise<void> {
  await handToTargetRoot(ids, dir);
  const { file, args } = asTargetRootArgv(ids, unpackArgs(dir));
  const zstd = execa('zstd', ['--decompress', '--stdout', tarball], { stdin: 'ignore', buffer: { stdout: false } });
  const tar = execa(file, args, { stdin: 'pipe' });
  zstd.stdout.pipe(tar.stdin);
  await Promise.all([zstd, tar]);
}

/** Removes `dir` as target root, who owns what is in it; never following a mount out of it. */
export async function removeAsTargetRoot(ids: SandboxIds, dir: string): Promise<void> {
  const { file, args } = asTargetRootArgv(ids, ['rm', '-rf', '--one-file-system', dir]);
  await execa(file, args, { stdin: 'ignore' });
}

/**
 * Hands `path` (and, for a directory, everything below it) to target root. Only kpkg running as root
 * must: an ordinary user's files are target root's already. Symbolic links are not followed.
 */
export async function handToTargetRoot(ids: SandboxIds, path: string): Promise<void> {
  if (ids.subordinate === undefined) return;
  const { uid, gid } = targetRootOwner(ids);
  const info = await lstat(path);
  if (info.isSymbolicLink()) {
    await lchown(path, uid, gid);
    return;
  }
  await chown(path, uid, gid);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await handToTargetRoot(ids, join(path, entry));
}
