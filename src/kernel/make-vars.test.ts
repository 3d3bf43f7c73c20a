import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeArguments, splitMakeArguments } from './make-vars.js';

test('NAME=value arguments are make variables; others are kept in order', () => {
  const { vars, rest } = splitMakeArguments(['ARCH=arm64', 'extra', 'CROSS_COMPILE=aarch64-linux-gnu-', 'FOO=bar']);
  assert.deepEqual(vars, { ARCH: 'arm64', CROSS_COMPILE: 'aarch64-linux-gnu-' });
  assert.deepEqual(rest, ['extra', 'FOO=bar']);
});

test('arguments override the environment, which fills the rest', () => {
  const { vars } = splitMakeArguments(['ARCH=riscv'], {
    ARCH: 'arm64',
    LLVM: '1',
    CC: 'ccache aarch64-linux-gnu-gcc',
    PATH: '/bin',
  });
  assert.deepEqual(vars, { ARCH: 'riscv', LLVM: '1', CC: 'ccache aarch64-linux-gnu-gcc' });
});

test('empty environment values are ignored, empty arguments kept', () => {
  assert.deepEqual(splitMakeArguments(['CROSS_COMPILE='], { ARCH: '' }).vars, { CROSS_COMPILE: '' });
});

test('makeArguments reproduces the variables in a stable order', () => {
  assert.deepEqual(makeArguments({ LLVM: '1', ARCH: 'arm64' }), ['ARCH=arm64', 'LLVM=1']);
});
