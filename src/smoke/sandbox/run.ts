/**
 * Runs one command in the target rootfs, in the sandbox (entry.ts), and captures its output.
 */
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import { KpkgError } from '../../util/errors.js';
import { BoundedText } from '../../util/bounded-text.js';
import { lastLines } from '../../util/last-lines.js';
import { sandboxArgv } from './entry.js';
import type { Sandbox } from './sandbox.js';
import { watchSandbox, type WatchdogVerdict } from './watchdog.js';

export interface SandboxRunOptions {
  /** Working directory inside the rootfs; default '/'. */
  readonly cwd?: string;
  /** Extra environment on top of a clean one (PATH, HOME=/root, LC_ALL=C, DEBIAN_FRONTEND=noninteractive). */
  readonly env?: Readonly<Record<string, string>>;
  /** How many lines `tail` keeps; default 30. */
  readonly tailLines?: number;
  /** Each output line as it comes, for --verbose. */
  readonly onLine?: (line: string) => void;
  /** What the command reads on stdin (default: nothing). */
  readonly stdin?: Readable;
}

export interface SandboxRunResult {
  /** The command's exit code; 128 + signal number when it was killed. */
  readonly exitCode: number;
  readonly timedOut: boolean;
  /** stdout and stderr, interleaved as they came. */
  readonly output: string;
  /** The last lines of output. */
  readonly tail: string;
  /** The limit that ended the command (the watchdog's, or its time), when one did. */
  readonly limit?: WatchdogVerdict;
}

const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGPIPE: 13,
  SIGTERM: 15,
};

/** How much of a command's output is kept: its start and its end (the packages' scripts may print without end). */
const OUTPUT_HEAD_CHARS = 4 * 1024 * 1024;
const OUTPUT_RECENT_CHARS = 12 * 1024 * 1024;

/** What kpkg adds to the output of a command a limit ended: why, and what was running. */
function killedNote(limit: WatchdogVerdict): string {
  const running = limit.processes.map((p) => `\n  ${p}`).join('');
  return `\nkpkg: killed: ${limit.reason}${running === '' ? '' : `; running then:${running}`}\n`;
}

/** The environment every command starts from. */
function baseEnv(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: '/root',
    LC_ALL: 'C',
    DEBIAN_FRONTEND: 'noninteractive',
    ...extra,
  };
}

/** Runs `argv` in the rootfs at `root`, in `sandbox`, within its time limit. */
export async function runInSandbox(
  sandbox: Sandbox,
  root: string,
  argv: readonly string[],
  options: SandboxRunOptions = {},
): Promise<SandboxRunResult> {
  if (argv.length === 0) throw new Error('runInSandbox: empty command');
  const { file, args } = sandboxArgv(sandbox, {
    root,
    cwd: options.cwd ?? '/',
    env: baseEnv(options.env),
    argv,
  });
  const timeoutMs = sandbox.limits.timeMs;
  const captured = new BoundedText(OUTPUT_HEAD_CHARS, OUTPUT_RECENT_CHARS);
  let partial = '';
  const subprocess = execa(file, args, {
    all: true,
    buffer: false,
    reject: false,
    stdin: options.stdin === undefined ? 'ignore' : 'pipe',
    // unshare, prlimit and bwrap read nothing from it: the command's environment is bwrap's --setenv.
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
    extendEnv: false,
    timeout: timeoutMs,
    // bwrap's --die-with-parent takes the whole sandbox with it.
    killSignal: 'SIGKILL',
  });
  if (options.stdin !== undefined && subprocess.stdin !== null) {
    // The command may stop reading early (it failed): that is its exit code's to tell, not an EPIPE's.
    subprocess.stdin.on('error', () => undefined);
    options.stdin.pipe(subprocess.stdin);
  }
  subprocess.all?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    captured.append(text);
    if (options.onLine !== undefined) {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    }
  });
  const watchdog =
    subprocess.pid === undefined ? undefined : watchSandbox(subprocess.pid, { limits: sandbox.limits, diskPath: root });
  const result = await subprocess;
  const crossed = watchdog?.stop();
  if (result.exitCode === undefined && result.signal === undefined) {
    throw new KpkgError(`cannot enter the rootfs ${root}: ${result.originalMessage ?? 'unshare did not start'}`, {
      where: root,
      hint: 'apt-get install util-linux bubblewrap uidmap',
    });
  }
  if (partial !== '') options.onLine?.(partial);
  let output = captured.text();
  const signalCode = result.signal === undefined ? undefined : (SIGNALS[result.signal] ?? 64);
  const exitCode = result.exitCode ?? 128 + (signalCode ?? 0);
  const limit: WatchdogVerdict | undefined = result.timedOut
    ? { limit: 'time', reason: `the command ran ${Math.round(timeoutMs / 1000)} s, its time limit`, processes: [] }
    : crossed;
  if (limit !== undefined) output += killedNote(limit);
  const tail = lastLines(output, options.tailLines ?? 30);
  return { exitCode, timedOut: result.timedOut, output, tail, ...(limit === undefined ? {} : { limit }) };
}
