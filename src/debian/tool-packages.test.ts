import assert from 'node:assert/strict';
import { test } from 'node:test';
import { debianToolPackage } from './tool-packages.js';

const onAmd64 = (target: string) => ({ target, build: 'x86_64-linux-gnu' });

test("a cross compiler's package is <tool>[-<N>]-<triplet>, as Debian's cross toolchains name them", () => {
  const arm64 = onAmd64('aarch64-linux-gnu');
  assert.equal(debianToolPackage('aarch64-linux-gnu-g++', arm64), 'g++-aarch64-linux-gnu');
  assert.equal(debianToolPackage('aarch64-linux-gnu-g++-12', arm64), 'g++-12-aarch64-linux-gnu');
  assert.equal(debianToolPackage('aarch64-linux-gnu-gcc', arm64), 'gcc-aarch64-linux-gnu');
  assert.equal(debianToolPackage('/usr/bin/aarch64-linux-gnu-gcc-12', arm64), 'gcc-12-aarch64-linux-gnu');
  assert.equal(debianToolPackage('aarch64-linux-gnu-ld', arm64), 'binutils-aarch64-linux-gnu');
  assert.equal(
    debianToolPackage('x86_64-linux-gnu-g++', { target: 'x86_64-linux-gnu', build: 'aarch64-linux-gnu' }),
    'g++-x86-64-linux-gnu',
  );
});

test("the build machine's own triplet, plain names and LLVM come with the native packages", () => {
  const amd64 = onAmd64('x86_64-linux-gnu');
  assert.equal(debianToolPackage('x86_64-linux-gnu-g++-12', amd64), 'g++-12');
  assert.equal(debianToolPackage('g++', amd64), 'g++');
  assert.equal(debianToolPackage('ld', amd64), 'binutils');
  assert.equal(debianToolPackage('clang++-15', amd64), 'clang-15');
  assert.equal(debianToolPackage('ld.lld', amd64), 'lld');
  assert.equal(debianToolPackage('llvm-objcopy-15', amd64), 'llvm-15');
  assert.equal(debianToolPackage('/usr/lib/llvm-15/bin/ld.lld', amd64), 'lld-15');
});

test('a toolchain no Debian package has is not given a package', () => {
  const arm64 = onAmd64('aarch64-linux-gnu');
  assert.equal(debianToolPackage('aarch64-none-linux-gnu-g++', arm64), undefined);
  assert.equal(debianToolPackage('/opt/gcc-arm/bin/aarch64-linux-gnu-g++', arm64), undefined);
  assert.equal(debianToolPackage('ccache', arm64), undefined);
});
