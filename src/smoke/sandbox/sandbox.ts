/**
 * The sandbox every command of `kpkg smoke` runs in inside the target rootfs (entry.ts has what it
 * isolates), opened once per run: the id maps (ids.ts), the limits (limits.ts), and a probe that
 * proves this machine can make one before anything is built. A machine that cannot (no bubblewrap,
 * no newuidmap, no subordinate ids, user namespaces disabled) gets a one-line error naming what is
 * missing: there is no fallback to a weaker boundary.
 */
import { realpath } from 'node:fs/promises';
import { execa } from 'execa';
import { pathOf } from '../../util/on-path.js';
import { KpkgError } from '../../util/errors.js';
import { lastLines } from '../../util/last-lines.js';
import { asTargetRootArgv } from './entry.js';
import { sandboxIds, type SandboxIds } from './ids.js';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.js';

/**
 * The host programs the sandbox runs, by their real paths: once in the user namespace, target root
 * may not reach the directories of kpkg's PATH (a private directory of the invoking user).
 */
export type SandboxPrograms = Readonly<Record<'unshare' | 'prlimit' | 'bwrap' | 'tar' | 'rm' | 'true', string>>;

export interface Sandbox {
  readonly ids: SandboxIds;
  readonly limits: SandboxLimits;
  readonly programs: SandboxPrograms;
}

/** The programs the sandbox needs, and the Debian package that has each (newuidmap: unshare runs it). */
const PACKAGES: Readonly<Record<keyof SandboxPrograms | 'newuidmap', string>> = {
  bwrap: 'bubblewrap',
  newuidmap: 'uidmap',
  unshare: 'util-linux',
  prlimit: 'util-linux',
  tar: 'tar',
  rm: 'coreutils',
  true: 'coreutils',
};

/** Where `program` is on PATH, symbolic links resolved; a one-line error naming its package when it is not. */
async function programPath(program: keyof typeof PACKAGES): Promise<string> {
  const path = await pathOf(program);
  if (path === undefined) {
    throw new KpkgError(
      `${program} is not installed: kpkg smoke runs the packages' scripts in a sandbox made with it`,
      {
        hint: `apt-get install ${PACKAGES[program]}`,
      },
    );
  }
  return realpath(path);
}

async function findPrograms(): Promise<SandboxPrograms> {
  const programs = {
    bwrap: await programPath('bwrap'),
    unshare: await programPath('unshare'),
    prlimit: await programPath('prlimit'),
    tar: await programPath('tar'),
    rm: await programPath('rm'),
    true: await programPath('true'),
  };
  await programPath('newuidmap');
  return programs;
}

/** Why the kernel refused a user namespace, from unshare's or bwrap's words. */
function userNamespaceHint(words: string): string {
  if (/newuidmap|newgidmap/.test(words))
    return 'check /etc/subuid and /etc/subgid, and that newuidmap is setuid root: ls -l /usr/bin/newuidmap';
  return 'allow unprivileged user namespaces: sysctl -w kernel.unprivileged_userns_clone=1 user.max_user_namespaces=15000 (and, on Ubuntu, kernel.apparmor_restrict_unprivileged_userns=0)';
}

/** Makes one sandbox around `true` on the host's own root, read-only: whatever fails here would fail every command. */
async function probe(ids: SandboxIds, programs: SandboxPrograms): Promise<void> {
  const { file, args } = asTargetRootArgv(ids, programs, [
    programs.bwrap,
    '--ro-bind',
    '/',
    '/',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--die-with-parent',
    programs.true,
  ]);
  const result = await execa(file, args, { reject: false, all: true, stdin: 'ignore' });
  if (result.exitCode !== 0) {
    const words = lastLines(result.all ?? '', 3).replaceAll('\n', '; ');
    throw new KpkgError(`cannot make the sandbox kpkg smoke runs the packages' scripts in: ${words}`, {
      hint: userNamespaceHint(words),
    });
  }
}

/** The sandbox of this user on this machine, proved to work. */
export async function openSandbox(limits: SandboxLimits = DEFAULT_LIMITS): Promise<Sandbox> {
  const programs = await findPrograms();
  const ids = await sandboxIds();
  await probe(ids, programs);
  return { ids, limits, programs };
}
