import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archDepends, archPackageOf } from './depends.js';

test('sonames map to the Arch packages that ship them, whatever their version; loaders are glibc', () => {
  assert.equal(archPackageOf('libelf.so.1'), 'libelf');
  assert.equal(archPackageOf('libdw.so.1'), 'libelf');
  assert.equal(archPackageOf('libcrypto.so.3'), 'openssl');
  assert.equal(archPackageOf('libcrypto.so.1.1'), 'openssl');
  assert.equal(archPackageOf('ld-linux-aarch64.so.1'), 'glibc');
  assert.equal(archPackageOf('ld64.so.2'), 'glibc');
  assert.equal(archPackageOf('libodd.so.1'), undefined);
});

test('one depend per package, sorted; the sonames no package is known for are listed apart', () => {
  const needs = {
    libraries: ['libssl.so.3', 'libcrypto.so.3', 'libz.so.1', 'libodd.so.7', 'libelf.so.1'].map((soname) => ({
      soname,
      imports: [],
    })),
    files: [],
  };
  assert.deepEqual(archDepends(needs), {
    depends: [{ name: 'libelf' }, { name: 'openssl' }, { name: 'zlib' }],
    unknown: ['libodd.so.7'],
  });
});
