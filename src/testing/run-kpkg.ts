import { execa } from 'execa';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI built beside this file (dist/testing/ → dist/cli/bin.js; the same in any other tsc --outDir). */
const BIN = fileURLToPath(new URL('../cli/bin.js', import.meta.url));

export interface KpkgRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Longer than any one kpkg command of the tests takes on a cold machine (a `smoke --boot` that builds
 * its rootfs: ~7 min): a run that hangs is killed and reported as such instead of holding its test
 * file until the runner's own timeout.
 */
const RUN_LIMIT_MS = 20 * 60 * 1000;

/** Runs the built CLI (dist/cli/bin.js) as a user would, without a TTY. */
export async function runKpkg(args: readonly string[], env: Record<string, string> = {}): Promise<KpkgRun> {
  const r = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    env: { ...env, CI: 'true' },
    stdin: 'ignore',
    timeout: RUN_LIMIT_MS,
  });
  const stderr = r.timedOut
    ? `${r.stderr}\n[test] kpkg ${args.join(' ')}: killed after ${RUN_LIMIT_MS / 1000} s`
    : r.stderr;
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr };
}

/**
 * Runs the built CLI under bash with its stdout redirected as `redirect` says ("| true": a reader
 * that is gone at once, ">/dev/full"); stdout is not captured, stderr is.
 */
export async function runKpkgWithStdout(
  redirect: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<KpkgRun> {
  const script = `"$0" "$@" ${redirect}; exit \${PIPESTATUS[0]}`;
  const r = await execa('bash', ['-c', script, process.execPath, BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    env: { ...env, CI: 'true' },
  });
  return { exitCode: r.exitCode ?? -1, stdout: '', stderr: r.stderr };
}

export interface MeasuredRun extends KpkgRun {
  /** Wall time. */
  seconds: number;
  /** Peak resident set size (GNU time's %M). */
  peakRssMiB: number;
}

const MEASURED = /^kpkg-measured ([\d.]+) (\d+)\n?$/m;
/** What GNU time adds before its figures when the command fails. */
const TIME_STATUS = /^Command (?:exited with non-zero status|terminated by signal) \d+\n/m;

/** runKpkg under /usr/bin/time: also the wall time and the peak RSS; stderr without time's line. */
export async function runKpkgMeasured(args: readonly string[], env: Record<string, string> = {}): Promise<MeasuredRun> {
  const r = await execa('/usr/bin/time', ['-f', 'kpkg-measured %e %M', process.execPath, BIN, ...args], {
    reject: false,
    env: { ...env, CI: 'true' },
    stdin: 'ignore',
  });
  const measured = MEASURED.exec(r.stderr);
  if (measured === null) throw new Error(`/usr/bin/time gave no figures (apt-get install time):\n${r.stderr}`);
  return {
    exitCode: r.exitCode ?? -1,
    stdout: r.stdout,
    stderr: r.stderr.replace(MEASURED, '').replace(TIME_STATUS, ''),
    seconds: Number(measured[1]),
    peakRssMiB: Number(measured[2]) / 1024,
  };
}

/** The built CLI as a child process of its own, for tests that signal it. */
export function spawnKpkg(args: readonly string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env, CI: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs kpkg with --json and parses stdout; fails with stderr when the command failed. */
export async function runKpkgJson<T>(args: readonly string[]): Promise<T> {
  const r = await runKpkg([...args, '--json']);
  if (r.exitCode !== 0) throw new Error(`kpkg ${args.join(' ')} exited ${String(r.exitCode)}:\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Sends the text written to `stream` to `sink` until the returned function is called; bytes pass through. */
function captureText(stream: NodeJS.WriteStream, sink: (text: string) => void): () => void {
  const own = Object.getOwnPropertyDescriptor(stream, 'write');
  const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    // The test runner reports through stdout in bytes; kpkg writes text.
    if (typeof chunk !== 'string') return original(chunk, ...rest);
    sink(chunk);
    const done = rest.find((r): r is () => void => typeof r === 'function');
    if (done !== undefined) queueMicrotask(done);
    return true;
  };
  stream.write = write;
  return () => {
    if (own === undefined) Reflect.deleteProperty(stream, 'write');
    else Object.defineProperty(stream, 'write', own);
  };
}

/**
 * Runs kpkg's main() in this process — the CLI but for bin.js's two lines (the signal handlers and
 * process.exitCode) — with what it writes to stdout and stderr captured, and its exit code. For
 * tests of many exit statuses and messages that need not start node each time; one call at a time.
 */
export async function runKpkgInProcess(args: readonly string[]): Promise<KpkgRun> {
  const { main } = await import('../cli/main.js');
  const captured = { stdout: '', stderr: '' };
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  const restoreStdout = captureText(process.stdout, (text) => (captured.stdout += text));
  const restoreStderr = captureText(process.stderr, (text) => (captured.stderr += text));
  try {
    const exitCode = await main(args);
    return { exitCode, ...captured };
  } finally {
    restoreStdout();
    restoreStderr();
    process.exitCode = savedExitCode;
  }
}
