/**
 * The rootfs directory on this machine, owned by target ids (ids.ts): unpacked and removed by the
 * host's own tar and rm run as target root (in a user namespace, not in the sandbox: they are
 * kpkg's programs on kpkg's cached tarball). What kpkg copies in later goes through the sandbox
 * (SmokeTarget.put).
 */
import { chown, rm } from 'node:fs/promises';
import { execa } from 'execa';
import { asTargetRootArgv } from './entry.js';
import { targetRootOwner } from './ids.js';
import type { Sandbox } from './sandbox.js';

/**
 * tar's arguments that unpack a rootfs tarball from stdin into `dir`, keeping the target's ids and
 * modes. /dev is left empty: a user namespace may not make device nodes, and the sandbox mounts its
 * own minimal /dev there.
 */
export function unpackArgs(tar: string, dir: string): string[] {
  return [
    tar,
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
export async function unpackAsTargetRoot(sandbox: Sandbox, tarball: string, dir: string): Promise<void> {
  const { ids, programs } = sandbox;
  // The rootfs's / is target root's (as root, a subordinate id; an ordinary user's directory is theirs already).
  const owner = targetRootOwner(ids);
  await chown(dir, owner.uid, owner.gid);
  const { file, args } = asTargetRootArgv(ids, programs, unpackArgs(programs.tar, dir));
  const zstd = execa('zstd', ['--decompress', '--stdout', tarball], { stdin: 'ignore', buffer: { stdout: false } });
  const tar = execa(file, args, { stdin: 'pipe' });
  zstd.stdout.pipe(tar.stdin);
  await Promise.all([zstd, tar]);
}

/**
 * Removes `dir`: what is in it as target root, who owns it (never following a mount out of it), then
 * the directory itself as kpkg's user, who owns the directory it is in.
 */
export async function removeAsTargetRoot(sandbox: Sandbox, dir: string): Promise<void> {
  const { file, args } = asTargetRootArgv(sandbox.ids, sandbox.programs, [
    sandbox.programs.rm,
    '-rf',
    '--one-file-system',
    dir,
  ]);
  // Its last unlink fails where target root may not write the parent: the rm below does that one.
  await execa(file, args, { stdin: 'ignore', reject: false });
  await rm(dir, { recursive: true, force: true });
}
