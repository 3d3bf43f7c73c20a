import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { findArch } from '../arch/arch-table.js';
import { CrossBuildDir, GCC_TOOLCHAINS } from '../testing/cross-binaries.js';
import { auditElfBuffers, auditElfFiles, checkElf, type ElfExpectation } from './audit.js';
import { parseElf } from './elf.js';

function expectationFor(name: string): ElfExpectation {
  const arch = findArch(name);
  assert.ok(arch !== undefined);
  return { identity: arch.elf, interpreter: arch.dynamicLoader };
}

describe('ELF audit: files on disk and files in memory share one check', () => {
  let dir: CrossBuildDir;
  const paths: Record<string, string> = {};
  before(async () => {
    dir = await CrossBuildDir.create();
    paths.arm64 = await dir.compile(GCC_TOOLCHAINS.arm64, { kind: 'pie' });
    paths.amd64 = await dir.compile(GCC_TOOLCHAINS.amd64, { kind: 'pie' });
    paths.armhf = await dir.compile(GCC_TOOLCHAINS.armhf, { kind: 'pie' });
    paths.armhfObject = await dir.compile(GCC_TOOLCHAINS.armhf, { kind: 'object' });
    paths.softfloat = await dir.compile(GCC_TOOLCHAINS.armhf, {
      kind: 'exec',
      flags: ['-mfloat-abi=soft', '-nostdlib', '-Wl,-e,main'],
    });
  });
  after(async () => dir.remove());

  it('gives the same findings for a file on disk and its bytes in memory', async () => {
    const expect = expectationFor('arm64');
    const files = Object.entries(paths).map(([name, source]) => ({ path: name, source }));
    const onDisk = await auditElfFiles(files, expect);
    const inMemory = auditElfBuffers(
      await Promise.all(files.map(async (f) => ({ path: f.path, bytes: await readFile(f.source) }))),
      expect,
    );
    assert.deepEqual(inMemory, onDisk);
    assert.equal(onDisk.elfCount, 5);
    assert.deepEqual(onDisk.findings.map((f) => f.path).sort(), ['amd64', 'armhf', 'armhfObject', 'softfloat']);
  });

  it('a prefix with the headers and PT_INTERP is enough; a shorter one is reported truncated', async () => {
    const bytes = await readFile(paths.amd64 ?? '');
    const expect = expectationFor('arm64');
    assert.deepEqual(checkElf('p', parseElf(bytes.subarray(0, 4096)), expect), checkElf('p', parseElf(bytes), expect));
    assert.equal(checkElf('p', parseElf(bytes.subarray(0, 40)), expect).finding?.problem, 'damaged');
  });

  it('compares the ARM float ABI except for kernel objects', async () => {
    const expect = expectationFor('armhf');
    const soft = parseElf(await readFile(paths.softfloat ?? ''));
    assert.equal(checkElf('soft', soft, expect).finding?.problem, 'wrong-machine');
    assert.equal(checkElf('soft', soft, expect, { kernelObject: true }).finding, undefined);
    assert.equal(checkElf('hf', parseElf(await readFile(paths.armhf ?? '')), expect).finding, undefined);
  });

  it('reports the dynamic loader of a program for another loader', async () => {
    const arch = findArch('arm64');
    assert.ok(arch !== undefined);
    const r = checkElf('p', parseElf(await readFile(paths.arm64 ?? '')), {
      identity: arch.elf,
      interpreter: '/lib/ld-musl-aarch64.so.1',
    });
    assert.deepEqual(r.finding, {
      path: 'p',
      problem: 'wrong-interpreter',
      found: '/lib/ld-linux-aarch64.so.1',
      expected: '/lib/ld-musl-aarch64.so.1',
    });
  });
});
