import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KpkgError } from '../util/errors.js';
import type { PackageEntry } from './model.js';
import { checkInstallPath, installedSizeKiB, sortEntries } from './model.js';

const run = promisify(execFile);
const file = (path: string, size = 0): PackageEntry => ({
  kind: 'file',
  path,
  mode: 0o644,
  size,
  source: { from: 'bytes', data: new Uint8Array(size) },
});
const dir = (path: string, mode = 0o755): PackageEntry => ({ kind: 'dir', path, mode });

void describe('sortEntries', () => {
  void it('orders like dpkg-deb: depth first, each directory before its contents, siblings byte-wise', () => {
    const sorted = sortEntries([
      file('/usr/a-c/z'),
      file('/usr/a/b'),
      file('/usr/B/q'),
      dir('/usr/a.d'),
      file('/usr/a/xx'),
      { kind: 'symlink', path: '/usr/l', target: 'a/b' },
    ]);
    assert.deepEqual(
      sorted.map((entry) => entry.path),
      [
        '/',
        '/usr',
        '/usr/B',
        '/usr/B/q',
        '/usr/a',
        '/usr/a/b',
        '/usr/a/xx',
        '/usr/a-c',
        '/usr/a-c/z',
        '/usr/a.d',
        '/usr/l',
      ],
    );
  });

  void it('compares UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in bytes; in UTF-16 the surrogate D83D is first.
    const sorted = sortEntries([file('/\u{1F600}'), file('/\uFF21')]);
    assert.deepEqual(
      sorted.map((entry) => entry.path),
      ['/', '/\uFF21', '/\u{1F600}'],
    );
  });

  void it('adds missing parents as 0755 and keeps given directory modes', () => {
    const sorted = sortEntries([file('/a/b/c'), dir('/a', 0o700)]);
    assert.deepEqual(sorted, [dir('/'), dir('/a', 0o700), dir('/a/b'), file('/a/b/c')]);
  });

  void it('merges identical directories, refuses other duplicates and files used as directories', () => {
    assert.equal(sortEntries([dir('/a'), dir('/a')]).length, 2);
    assert.throws(() => sortEntries([dir('/a'), dir('/a', 0o700)]), KpkgError);
    assert.throws(() => sortEntries([file('/a'), file('/a')]), /two entries for \/a/);
    assert.throws(
      () => sortEntries([file('/a'), file('/a/b')]),
      /\/a is a file in the package, but \/a\/b is inside it/,
    );
  });

  void it('refuses paths that are not clean and absolute', () => {
    for (const bad of ['', 'usr/x', '/usr/', '/usr//x', '/usr/./x', '/usr/../x', '/a\0b']) {
      assert.throws(() => checkInstallPath(bad), KpkgError, bad);
    }
    checkInstallPath('/');
    checkInstallPath('/usr/src/linux-headers-6.12.95+bpo-arm64/.config');
  });
});

void describe('installedSizeKiB', () => {
  void it('counts ceil(size/1024) per file and symlink, 1 per directory', () => {
    const entries = sortEntries([
      file('/d/a', 3000),
      file('/d/b', 1024),
      file('/d/empty'),
      { kind: 'symlink', path: '/d/l', target: 'a' },
    ]);
    // '/', '/d' = 2; a = 3; b = 1; empty = 0; l = 1
    assert.equal(installedSizeKiB(entries), 7);
  });

  void it('agrees with dpkg-gencontrol on a real tree', async () => {
    const work = await mkdtemp(join(tmpdir(), 'kpkg-size-'));
    try {
      const entries = sortEntries([
        file('/usr/share/doc/pkgx/a', 3000),
        file('/usr/share/doc/pkgx/b', 1024),
        file('/usr/share/doc/pkgx/c', 1025),
        file('/usr/share/doc/pkgx/empty'),
        { kind: 'symlink', path: '/usr/share/doc/pkgx/l', target: 'a' },
        { kind: 'symlink', path: '/usr/lib/long', target: 'x'.repeat(1500) },
        dir('/etc/empty.d'),
      ]);
      const root = join(work, 'debian', 'pkgx');
      for (const entry of entries) {
        const path = join(root, entry.path);
        if (entry.kind === 'dir') await mkdir(path, { recursive: true });
        else await mkdir(dirname(path), { recursive: true });
        if (entry.kind === 'file') await writeFile(path, Buffer.alloc(entry.size));
        if (entry.kind === 'symlink') await symlink(entry.target, path);
      }
      await writeFile(
        join(work, 'debian', 'control'),
        'Source: srcx\nMaintainer: A <a@example.com>\n\nPackage: pkgx\nArchitecture: all\nDescription: x\n y\n',
      );
      await writeFile(
        join(work, 'debian', 'changelog'),
        'srcx (1.0-1) unstable; urgency=low\n\n  * x\n\n -- A <a@example.com>  Mon, 01 Jan 2024 00:00:00 +0000\n',
      );
      const { stdout } = await run('dpkg-gencontrol', ['-ppkgx', `-P${root}`, '-O'], { cwd: work });
      const reported = /^Installed-Size: (\d+)$/m.exec(stdout)?.[1];
      assert.equal(Number(reported), installedSizeKiB(entries));
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
