/**
 * A failed system call (a full disk, a read-only mount, a missing permission, a regular file where
 * a directory should be) as the one-line KpkgError users see: what kpkg was doing, the path, the
 * reason in words, and what to do about it — never a stack trace.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { KpkgError } from './errors.js';

const REASONS: Readonly<Record<string, { reason: string; fix: string }>> = {
  ENOSPC: {
    reason: 'no space left on the device',
    fix: 'free space there (df -h), or choose a directory on another file system',
  },
  EDQUOT: { reason: 'disk quota exceeded', fix: 'free space in your quota, or choose another directory' },
  EROFS: { reason: 'the file system is read-only', fix: 'choose a directory on a writable file system' },
  EACCES: { reason: 'permission denied', fix: 'choose a directory you can write to, or fix its owner or mode' },
  EPERM: { reason: 'operation not permitted', fix: 'choose a directory you can write to, or fix its owner or mode' },
  ENOTDIR: { reason: 'a part of the path is a file, not a directory', fix: 'choose another path' },
  EISDIR: { reason: 'it is a directory', fix: 'remove or rename the directory, or choose another path' },
  EEXIST: { reason: 'it already exists', fix: 'remove it, or choose another path' },
  ENOENT: { reason: 'no such file or directory', fix: 'check the path' },
  EIO: { reason: 'input/output error', fix: 'check the disk (dmesg)' },
  EMFILE: { reason: 'too many open files', fix: 'raise the limit (ulimit -n)' },
  ENAMETOOLONG: { reason: 'the file name is too long', fix: 'choose a shorter path' },
  ELOOP: { reason: 'too many levels of symbolic links', fix: 'check the symbolic links on the path' },
};

interface SystemCallError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

export function isSystemCallError(e: unknown): e is SystemCallError {
  return (
    e instanceof Error &&
    !(e instanceof KpkgError) &&
    typeof (e as Partial<SystemCallError>).code === 'string' &&
    /^E[A-Z0-9]+$/.test((e as SystemCallError).code)
  );
}

/** For ENOTDIR: the regular file that stands where a directory of `path` should be. */
function fileInTheWay(path: string): string | undefined {
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // Missing: look further up.
    }
  }
  return undefined;
}

/**
 * The KpkgError for a failed system call; undefined when `e` is not one. `doing` says what kpkg
 * was doing ("write packages into"); `path` defaults to the path the call names.
 */
export function systemError(
  e: unknown,
  context: { doing?: string; path?: string; hint?: string } = {},
): KpkgError | undefined {
  if (!isSystemCallError(e)) return undefined;
  const path = context.path ?? e.path;
  const known = REASONS[e.code];
  let reason = known?.reason ?? e.message.replace(/^E[A-Z0-9]+: /, '').replace(/, \w+.*$/, '');
  if (e.code === 'ENOTDIR' && path !== undefined) {
    const file = fileInTheWay(e.path ?? path);
    if (file !== undefined) reason = `${file} is a regular file, not a directory`;
  }
  const what =
    context.doing === undefined
      ? `${e.syscall ?? 'access'} ${path ?? ''}`.trim()
      : `${context.doing} ${path ?? ''}`.trim();
  const hint = [known?.fix, context.hint].filter((h) => h !== undefined).join('; ');
  return new KpkgError(`cannot ${what}: ${reason} (${e.code})`, {
    ...(path === undefined ? {} : { where: path }),
    ...(hint === '' ? {} : { hint }),
    cause: e,
  });
}

/**
 * A failed system call that names no path — a write to a file already open, which is how a full
 * disk shows — as the error naming `dir`, where the file was being written (a scratch directory
 * in TMPDIR, a cache entry); anything else as it is.
 */
export function pathlessIn(e: unknown, dir: string): unknown {
  if (!isSystemCallError(e) || e.path !== undefined) return e;
  return systemError(e, { doing: 'write in', path: dir }) ?? e;
}
