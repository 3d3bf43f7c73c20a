import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { rpmPackager } from '../formats/rpm/write-rpm.js';
import type { PackageDescription } from '../package/model.js';
import { tinyPackage } from '../testing/family-packages.js';
import { readRpm } from './rpm.js';

const dir = await mkdtemp(join(tmpdir(), 'kpkg-reader-rpm-'));
after(() => rm(dir, { recursive: true, force: true }));

test("an .rpm kpkg wrote: name, EVR, arch, requires without rpmlib's, and its files", async () => {
  const pkg: PackageDescription = {
    ...tinyPackage(),
    version: '2:6.1-3',
    depends: [{ name: 'make' }, [{ name: 'gcc' }, { name: 'clang' }]],
    entries: [
      { kind: 'dir', path: '/usr/src/kpkg-family-test', mode: 0o755 },
      ...tinyPackage().entries,
      { kind: 'symlink', path: '/usr/src/kpkg-family-test/b.h', target: 'a.h' },
    ],
  };
  const path = join(dir, 'a.rpm');
  await rpmPackager.write(pkg, path, { compression: 'gzip' });
  const read = await readRpm(path);
  assert.equal(read.format, 'rpm');
  assert.equal(read.name, 'kpkg-family-test');
  assert.equal(read.version, '2:6.1-3');
  assert.equal(read.arch, 'aarch64');
  assert.equal(read.archSource, 'rpm header ARCH');
  assert.equal(read.byKpkg, true);
  assert.deepEqual(read.requires, [['(gcc or clang)'], ['make']]);
  assert.deepEqual(
    read.members.map((m) => [m.path, m.type, m.mode.toString(8), m.link]),
    [
      ['/usr/src/kpkg-family-test', 'dir', '755', undefined],
      ['/usr/src/kpkg-family-test/a.h', 'file', '644', undefined],
      ['/usr/src/kpkg-family-test/b.h', 'symlink', '777', 'a.h'],
    ],
  );
});
