import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { KpkgError } from './errors.js';
import { isSystemCallError, pathlessIn, systemError } from './system-error.js';

const dir = await mkdtemp(join(tmpdir(), 'kpkg-system-error-'));
after(() => rm(dir, { recursive: true, force: true }));

function callError(code: string, fields: { syscall?: string; path?: string; message?: string } = {}): Error {
  return Object.assign(new Error(fields.message ?? `${code}: failed`), { code, ...fields });
}

test('only errors with an E-code are system call errors; KpkgErrors and others are left alone', () => {
  assert.equal(isSystemCallError(callError('ENOSPC')), true);
  assert.equal(isSystemCallError(Object.assign(new Error('x'), { code: 'ERR_INVALID_ARG_TYPE' })), false);
  assert.equal(isSystemCallError(Object.assign(new KpkgError('x'), { code: 'ENOSPC' })), false);
  assert.equal(isSystemCallError('ENOSPC'), false);
  assert.equal(systemError(new Error('plain')), undefined);
});

test('a known code says what kpkg was doing, where, why in words, and what to do', () => {
  const cause = callError('ENOSPC', { syscall: 'write', path: '/out/a.deb' });
  const error = systemError(cause, { doing: 'write packages into', path: '/out', hint: 'or pass --output' });
  assert.ok(error instanceof KpkgError);
  assert.equal(error.message, 'cannot write packages into /out: no space left on the device (ENOSPC)');
  assert.equal(error.where, '/out');
  assert.equal(error.hint, 'free space there (df -h), or choose a directory on another file system; or pass --output');
  assert.equal(error.cause, cause);
});

test('without context: the system call and its path; an unknown code keeps the reason from the message', () => {
  const error = systemError(
    callError('EXDEV', {
      syscall: 'rename',
      path: '/a',
      message: "EXDEV: cross-device link not permitted, rename '/a' -> '/b'",
    }),
  );
  assert.equal(error?.message, 'cannot rename /a: cross-device link not permitted (EXDEV)');
  assert.equal(error?.hint, undefined);
});

test('ENOTDIR names the regular file that stands where a directory should be', async () => {
  await writeFile(join(dir, 'file'), '');
  const path = join(dir, 'file', 'sub', 'x');
  const error = systemError(callError('ENOTDIR', { syscall: 'mkdir', path }), { doing: 'create' });
  assert.equal(
    error?.message,
    `cannot create ${path}: ${join(dir, 'file')} is a regular file, not a directory (ENOTDIR)`,
  );
});

test('a write that names no file (a full disk under an open file) names the directory it was written in', () => {
  const full = callError('ENOSPC', { syscall: 'write' });
  const error = pathlessIn(full, '/tmp/small/kpkg-run-1-abc');
  assert.ok(error instanceof KpkgError);
  assert.equal(error.message, 'cannot write in /tmp/small/kpkg-run-1-abc: no space left on the device (ENOSPC)');
  const named = callError('ENOSPC', { syscall: 'open', path: '/out/a.deb' });
  assert.equal(pathlessIn(named, '/elsewhere'), named, 'a path of its own is kept');
  const other = new KpkgError('not a system call');
  assert.equal(pathlessIn(other, '/elsewhere'), other);
});
