/**
 * Standard output as the place a command's result goes, and what kpkg does when it cannot go there:
 * - a reader that went away (EPIPE: `kpkg verify --json X | head -1`) ends the run quietly with the
 *   exit code the command has anyway (the verdict): the reader took what it wanted;
 * - any other write error (`>/dev/full`: ENOSPC, EIO …) is one line on stderr and exit 1 — the
 *   result was lost, so a run that would have exited 0 must not;
 * - stdout closed when kpkg starts (`>&-`) is refused before any work: everything printed would be
 *   lost, and Node silently puts /dev/null in its place.
 * Never a Node stack trace. An error writing stderr has nowhere to be reported and is ignored.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { KpkgError } from './errors.js';
import { systemError } from './system-error.js';

const O_ACCMODE = 0o3;
const O_RDWR = 0o2;

/** What file descriptor `fd` is open on (Linux's /proc), e.g. "/dev/full" or "pipe:[1234]"; undefined elsewhere. */
function fdTarget(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** The open flags of file descriptor `fd` (Linux's /proc/self/fdinfo); undefined where they cannot be read. */
function fdFlags(fd: number): number | undefined {
  try {
    const octal = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return octal === undefined ? undefined : parseInt(octal, 8);
  } catch {
    return undefined;
  }
}

/**
 * Whether stdout was closed when kpkg started. Node opens /dev/null read-write in place of a closed
 * standard stream; a shell's `>/dev/null` opens it write-only, so the two can be told apart.
 */
export function stdoutWasClosed(fd = 1): boolean {
  if (fdTarget(fd) !== '/dev/null') return false;
  const flags = fdFlags(fd);
  return flags !== undefined && (flags & O_ACCMODE) === O_RDWR;
}

/** The error for a closed stdout, or undefined when it is open. */
export function closedStdoutError(): KpkgError | undefined {
  return stdoutWasClosed()
    ? new KpkgError(
        "standard output is closed (>&-): kpkg's output would be lost; redirect it to a file, or to /dev/null to discard it",
      )
    : undefined;
}

/** What stdout is, for a message: "standard output (/dev/full)", or just "standard output" for a pipe or socket. */
function stdoutName(): string {
  const target = fdTarget(1);
  return target?.startsWith('/') === true ? `standard output (${target})` : 'standard output';
}

/** The one line for an error writing stdout. */
export function stdoutWriteError(e: unknown): KpkgError {
  return (
    systemError(e, { doing: 'write the output to', path: stdoutName() }) ??
    new KpkgError(`cannot write the output to ${stdoutName()}: ${e instanceof Error ? e.message : String(e)}`)
  );
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

let lost: KpkgError | undefined;
let readerGone = false;

/**
 * Watches stdout and stderr for the rest of the run: EPIPE on stdout ends the output quietly; any
 * other error is reported in one line when the process exits, with exit code 1 instead of 0.
 */
export function watchOutput(): void {
  process.stdout.on('error', (e: unknown) => {
    if (readerGone || lost !== undefined) return;
    if (errorCode(e) === 'EPIPE') readerGone = true;
    else lost = stdoutWriteError(e);
  });
  process.stderr.on('error', () => undefined);
  process.on('exit', (code) => {
    if (lost === undefined) return;
    process.stderr.write(`kpkg: error: ${lost.message}\n`);
    if (code === 0) process.exitCode = 1;
  });
}
