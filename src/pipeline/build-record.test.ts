import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostArch } from '../arch/host.js';
import { arm64GccToolchain } from '../testing/fake-tree.js';
import { buildRecord, installedInputs } from './build-record.js';

const toolchain = {
  ...arm64GccToolchain(),
  cc: ['ccache', 'aarch64-linux-gnu-gcc', '-m64', 'CC=x'],
  hostcc: ['gcc-12'],
};

test('the programs whose packages built the set: compilers and wrappers, make, and xz or zstd when they ran', () => {
  assert.deepEqual(installedInputs(toolchain, 'xz').programs, [
    'ccache',
    'aarch64-linux-gnu-gcc',
    'gcc-12',
    'make',
    'xz',
  ]);
  assert.deepEqual(installedInputs(toolchain, 'gzip').programs, ['ccache', 'aarch64-linux-gnu-gcc', 'gcc-12', 'make']);
  assert.deepEqual(installedInputs(toolchain, 'zstd').files, ['/var/lib/dpkg/status', '/etc/dpkg/origins/default']);
});

test('the record: what `remember` gives, and only the recorded variables that are set, in order', async () => {
  const installed = [{ name: 'make', arch: 'amd64', version: '4.3-4.1' }];
  const record = await buildRecord(toolchain, 'xz', () => Promise.resolve(installed), {
    SOURCE_DATE_EPOCH: '1700000000',
    ARCH: 'arm64',
    CROSS_COMPILE: '',
    HOME: '/home/me',
    LC_ALL: 'C.UTF-8',
  });
  assert.equal(record.arch, hostArch().debian);
  assert.deepEqual(record.installed, installed);
  assert.deepEqual(record.environment, [
    ['ARCH', 'arm64'],
    ['LC_ALL', 'C.UTF-8'],
    ['SOURCE_DATE_EPOCH', '1700000000'],
  ]);
});
