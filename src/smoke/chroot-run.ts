import { execa } from 'execa';
import { KpkgError } from '../util/errors.js';
import { lastLines } from '../util/last-lines.js';
import { mountsBelow } from './mounts.js';

export interface ChrootRunOptions {
  /** Working directory inside the chroot; default '/'. */
  readonly cwd?: string;
  /** Extra environment on top of a clean one (PATH, HOME=/root, LC_ALL=C, DEBIAN_FRONTEND=noninteractive). */
  readonly env?: Readonly<Record<string, string>>;
  /** Kill the command (and everything it started) after this long; default 30 minutes. */
  readonly timeoutMs?: number;
  /** How many lines `tail` keeps; default 30. */
  readonly tailLines?: number;
  /** Each output line as it comes, for --verbose. */
  readonly onLine?: (line: string) => void;
}

export interface ChrootRunResult {
  /** The command's exit code; 128 + signal number when it was killed. */
  readonly exitCode: number;
  readonly timedOut: boolean;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
  /** The last lines of output. */
  readonly tail: string;
}

/**
 * unshare arguments that put the command in its own PID and mount namespaces:
 * - --mount-proc=<root>/proc mounts a proc for the namespace inside the rootfs (qemu-user reads
 *   /proc/self/..., and mmdebstrap's /dev/fd, /dev/stdin... point into it). The mount exists only
 *   in that namespace: the host never sees it, and it vanishes with the namespace's last process,
 *   however the command ends. Nothing can be left mounted for a later `rm -rf` to walk into.
 * - --fork --kill-child: the command is pid 1 of the namespace and is SIGKILLed when unshare
 *   dies (timeout, Ctrl-C, kpkg killed), which takes every process of the namespace with it:
 *   no make or cc1 left running under qemu.
 * /dev is not bind-mounted: mmdebstrap's tarball carries the device nodes a build needs (null,
 * zero, full, random, urandom, tty, ptmx), and the host's /dev stays out of reach. /sys is not
 * needed by dpkg, make, gcc or modinfo.
 */
export function unshareArgs(root: string, cwd: string, argv: readonly string[]): string[] {
  return [
    '--pid',
    '--fork',
    '--kill-child',
    '--mount',
    '--propagation',
    'private',
    `--mount-proc=${root}/proc`,
    'chroot',
    root,
    '/bin/sh',
    '-c',
    'cd "$0" && exec "$@"',
    cwd,
    ...argv,
  ];
}

const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};

/** Runs `argv` inside the rootfs at `root` (must run as root) and captures its output. */
export async function runInChroot(
  root: string,
  argv: readonly string[],
  options: ChrootRunOptions = {},
): Promise<ChrootRunResult> {
  if (argv.length === 0) throw new Error('runInChroot: empty command');
  const env = {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    LC_ALL: 'C',
    DEBIAN_FRONTEND: 'noninteractive',
    ...options.env,
  };
  const timeoutMs = options.timeoutMs ?? 30 * 60 * 1000;
  let output = '';
  let partial = '';
  const subprocess = execa('unshare', unshareArgs(root, options.cwd ?? '/', argv), {
    all: true,
    buffer: false,
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env,
    timeout: timeoutMs,
    // unshare's parent blocks SIGTERM while it waits; SIGKILL it, and --kill-child does the rest.
    killSignal: 'SIGKILL',
  });
  subprocess.all?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    if (options.onLine !== undefined) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    }
  });
  const result = await subprocess;
  if (result.exitCode === undefined && result.signal === undefined) {
    throw new KpkgError(`cannot enter the rootfs ${root}: ${result.originalMessage ?? 'unshare did not start'}`, {
      where: root,
      hint: 'run kpkg as root; unshare and chroot come with: apt-get install util-linux coreutils',
    });
  }
  if (partial !== '') options.onLine?.(partial);
  const leftovers = await mountsBelow(root);
  if (leftovers.length > 0) {
    throw new KpkgError(`${leftovers.join(', ')} mounted on the host after running in ${root}`, {
      where: root,
      hint: `umount -R ${leftovers.join(' ')}`,
    });
  }
  const signalCode = result.signal === undefined ? undefined : (SIGNALS[result.signal] ?? 64);
  const exitCode = result.exitCode ?? 128 + (signalCode ?? 0);
  if (result.timedOut) output += `\nkpkg: killed after ${Math.round(timeoutMs / 1000)} s (timeout)\n`;
  return { exitCode, timedOut: result.timedOut, output, tail: lastLines(output, options.tailLines ?? 30) };
}
