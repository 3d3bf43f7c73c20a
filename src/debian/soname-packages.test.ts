import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conventionalPackageName, conventionalPackages } from './soname-packages.js';

test('policy 8.1 names: a digit before .so gets a hyphen; lower case, no underscores', () => {
  assert.equal(conventionalPackageName('libelf.so.1'), 'libelf1');
  assert.equal(conventionalPackageName('libfoo2.so.3'), 'libfoo2-3');
  assert.equal(conventionalPackageName('libgcc_s.so.1'), 'libgcc-s1');
  assert.equal(conventionalPackageName('libGL.so.1'), 'libgl1');
  assert.equal(conventionalPackageName('libfoo.so'), 'libfoo', 'no version: the stem alone');
});

test('known exceptions, else the policy name and its t64 rename', () => {
  assert.deepEqual(conventionalPackages('libcrypto.so.3'), ['libssl3', 'libssl3t64']);
  assert.deepEqual(conventionalPackages('ld-linux-aarch64.so.1'), ['libc6']);
  assert.deepEqual(conventionalPackages('libpthread.so.0'), ['libc6']);
  assert.deepEqual(conventionalPackages('libz.so.1'), ['zlib1g']);
  assert.deepEqual(conventionalPackages('libelf.so.1'), ['libelf1', 'libelf1t64']);
  assert.deepEqual(
    conventionalPackages('libcrypto.so.1.1'),
    ['libcrypto1.1', 'libcrypto1.1t64'],
    'only OpenSSL 3 is known',
  );
});
