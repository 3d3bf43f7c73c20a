import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pacmanPackager } from '../formats/pacman/write-pacman.js';
import { tarballPackager } from '../formats/tar/write-tarball.js';
import type { PackageDescription } from '../package/model.js';
import { tinyPackage } from '../testing/family-packages.js';
import { parsePkginfoValues, readTarPackage } from './tar.js';

const dir = await mkdtemp(join(tmpdir(), 'kpkg-reader-tar-'));
after(() => rm(dir, { recursive: true, force: true }));

const PKG: PackageDescription = {
  ...tinyPackage(),
  depends: [{ name: 'gcc', version: { op: '>=', version: '12' } }, { name: 'make' }],
  scripts: { postinst: '#!/bin/sh\n:\n' },
};

test('.PKGINFO values: comments skipped, repeated keys kept in order, odd lines ignored', () => {
  const values = parsePkginfoValues('# by makepkg\npkgname = a\ndepend = b>=1\ndepend = c\nnot a pair\nurl = \n');
  assert.deepEqual(
    [...values],
    [
      ['pkgname', ['a']],
      ['depend', ['b>=1', 'c']],
      ['url', ['']],
    ],
  );
});

test('a pacman package: its metadata files describe it and are not members', async () => {
  const file = join(dir, 'p.pkg.tar.zst');
  await pacmanPackager.write(PKG, file, { compression: 'zstd' });
  const pkg = await readTarPackage(file, 'zstd');
  assert.equal(pkg.format, 'pacman');
  assert.equal(pkg.name, 'kpkg-family-test');
  assert.equal(pkg.version, '1.0-1');
  assert.equal(pkg.arch, 'aarch64');
  assert.equal(pkg.archSource, '.PKGINFO arch');
  assert.deepEqual(pkg.requires, [['gcc'], ['make']]);
  assert.equal(pkg.byKpkg, true);
  assert.deepEqual(
    pkg.members.map((m) => m.path),
    ['/usr', '/usr/src', '/usr/src/kpkg-family-test', '/usr/src/kpkg-family-test/a.h'],
  );
});

test('a tarball without .PKGINFO is a plain tarball named after its file', async () => {
  const file = join(dir, 'headers.tar.gz');
  await tarballPackager.write(PKG, file, { compression: 'gzip' });
  const pkg = await readTarPackage(file, 'gzip');
  assert.equal(pkg.format, 'tar');
  assert.equal(pkg.name, 'headers.tar.gz');
  assert.equal(pkg.arch, undefined);
  assert.ok(pkg.members.some((m) => m.path === '/usr/src/kpkg-family-test/a.h' && m.type === 'file' && m.size === 27));
});
