/**
 * The command line that runs one command in the target rootfs, in the sandbox:
 *   unshare <id maps>  prlimit <rlimits>  bwrap <namespaces, mounts>  <the command>
 * - unshare (util-linux) enters a new user namespace whose ids map to unprivileged ids outside
 *   (./ids.ts) and becomes its root: every capability the command has, it has only there.
 * - prlimit sets RLIMIT_NPROC, counted per user of that namespace (the kernel's ucounts), so it
 *   bounds the sandbox's own processes; RLIMIT_FSIZE bounds any one file; no core files.
 * - bubblewrap makes the rootfs the root with pivot_root (the host's file systems are not in the
 *   sandbox's mount namespace at all: no chroot to break out of), mounts a fresh /proc for a new PID
 *   namespace (bwrap mounts /proc/sys and the other kernel knobs read-only) and a minimal /dev, and
 *   unshares network (loopback only), IPC, UTS and cgroup namespaces. It always sets no_new_privs;
 *   --new-session keeps the command off kpkg's terminal; --die-with-parent ends the sandbox when the
 *   process kpkg started dies (timeout, watchdog, Ctrl-C). No /sys: nothing smoke runs needs it.
 * qemu-user still runs the target's programs: binfmt_misc handlers registered with the F flag hold
 * the interpreter open, so it is found inside any mount namespace.
 */
import type { SandboxIds } from './ids.js';
import { userNamespaceArgs } from './ids.js';
import type { SandboxLimits } from './limits.js';
import type { Sandbox, SandboxPrograms } from './sandbox.js';

/** The hostname inside: what `uname -n` says in the target. */
export const TARGET_HOSTNAME = 'kpkg-target';

/** What a sandboxed command gets, besides its argv. */
export interface SandboxCommand {
  /** The rootfs on this machine, which becomes the command's /. */
  readonly root: string;
  /** Working directory inside. */
  readonly cwd: string;
  /** The whole environment (nothing of kpkg's own is passed on). */
  readonly env: Readonly<Record<string, string>>;
  readonly argv: readonly string[];
}

/** bwrap's arguments for `command`. */
export function bwrapArgs(command: SandboxCommand): string[] {
  const env = Object.entries(command.env)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([name, value]) => ['--setenv', name, value]);
  return [
    '--bind',
    command.root,
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--unshare-pid',
    '--unshare-net',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    TARGET_HOSTNAME,
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    ...env,
    '--chdir',
    command.cwd,
    '--',
    ...command.argv,
  ];
}

/** prlimit's arguments: the rlimits of `limits` (soft = hard, so the command cannot raise them). */
export function rlimitArgs(limits: SandboxLimits): string[] {
  return [`--nproc=${limits.processes}`, `--fsize=${limits.diskBytes}`, '--core=0'];
}

/** The program and arguments that run `command` in `sandbox`. */
export function sandboxArgv(sandbox: Sandbox, command: SandboxCommand): { file: string; args: string[] } {
  const { programs } = sandbox;
  return {
    file: programs.unshare,
    args: [
      ...userNamespaceArgs(sandbox.ids),
      '--',
      programs.prlimit,
      ...rlimitArgs(sandbox.limits),
      '--',
      programs.bwrap,
      ...bwrapArgs(command),
    ],
  };
}

/**
 * The program and arguments that run a trusted host program (tar, rm: `argv[0]` a path of
 * `programs`) as target root, on the host's file systems.
 */
export function asTargetRootArgv(
  ids: SandboxIds,
  programs: SandboxPrograms,
  argv: readonly string[],
): { file: string; args: string[] } {
  return { file: programs.unshare, args: [...userNamespaceArgs(ids), '--', ...argv] };
}
