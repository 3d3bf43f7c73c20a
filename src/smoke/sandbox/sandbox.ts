/**
 * The sandbox every command of `kpkg smoke` runs in inside the target rootfs (entry.ts has what it
 * isolates), opened once per run: the id maps (ids.ts), the limits (limits.ts), and a probe that
 * proves this machine can make one before anything is built. A machine that cannot (no bubblewrap,
 * no newuidmap, no subordinate ids, user namespaces disabled) gets a one-line error naming what is
 * missing: there is no fallback to a weaker boundary.
 */
import { execa } from 'execa';
import { KpkgError } from '../../util/errors.js';
import { lastLines } from '../../util/last-lines.js';
import { asTargetRootArgv } from './entry.js';
import { sandboxIds, type SandboxIds } from './ids.js';
import { DEFAULT_LIMITS, type SandboxLimits } from './limits.js';

export interface Sandbox {
  readonly ids: SandboxIds;
  readonly limits: SandboxLimits;
}

/** A program the sandbox needs, and the Debian package that has it. */
const PROGRAMS: readonly { program: string; pkg: string }[] = [
  { program: 'bwrap', pkg: 'bubblewrap' },
  { program: 'newuidmap', pkg: 'uidmap' },
  { program: 'unshare', pkg: 'util-linux' },
  { program: 'prlimit', pkg: 'util-linux' },
];

async function requirePrograms(): Promise<void> {
  for (const { program, pkg } of PROGRAMS) {
    const found = await execa('sh', ['-c', `command -v ${program}`], { reject: false });
    if (found.exitCode !== 0) {
      throw new KpkgError(
        `${program} is not installed: kpkg smoke runs the packages' scripts in a sandbox made with it`,
        {
          hint: `apt-get install ${pkg}`,
        },
      );
    }
  }
}

/** Why the kernel refused a user namespace, from unshare's or bwrap's words. */
function userNamespaceHint(words: string): string {
  if (/newuidmap|newgidmap/.test(words))
    return 'check /etc/subuid and /etc/subgid, and that newuidmap is setuid root: ls -l /usr/bin/newuidmap';
  return 'allow unprivileged user namespaces: sysctl -w kernel.unprivileged_userns_clone=1 user.max_user_namespaces=15000 (and, on Ubuntu, kernel.apparmor_restrict_unprivileged_userns=0)';
}

/** Makes one sandbox around `true` on the host's own root, read-only: whatever fails here would fail every command. */
async function probe(ids: SandboxIds): Promise<void> {
  const { file, args } = asTargetRootArgv(ids, [
    'bwrap',
    '--ro-bind',
    '/',
    '/',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--die-with-parent',
    'true',
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
  await requirePrograms();
  const ids = await sandboxIds();
  await probe(ids);
  return { ids, limits };
}
