/**
 * Standard output as the place a command's result goes, and what kpkg does when it cannot go there:
 * - a reader that went away (EPIPE: `kpkg verify --json X | head -1`) ends the run quietly with the
 *   exit code the command has anyway (the verdict): the reader took what it wanted;
 * - any other write error (`>/dev/full`: ENOSPC, EIO …) is one line on stderr and exit 1 — the
 *   result was lost, so a run that would have exited 0 must not;
 * A stdout closed when kpkg starts (`>&-`) is not told apart: Node puts /dev/null opened read-write
 * in its place, exactly what a parent's `stdio: 'ignore'` (libuv) gives.
 * Never a Node stack trace. An error writing stderr has nowhere to be reported and is ignored.
 */
import { readlinkSync } from 'node:fs';
import { KpkgError } from './errors.js';
import { systemError } from './system-error.js';

/** What file descriptor `fd` is open on (Linux's /proc), e.g. "/dev/full" or "pipe:[1234]"; undefined elsewhere. */
function fdTarget(fd: number): string | undefined {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
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
