import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { CLANG_TOOLCHAINS, CrossBuildDir, GCC_TOOLCHAINS, type Toolchain } from '../../testing/cross-binaries.js';
import { buildIdOf, readBuildId } from './build-id.js';

const run = promisify(execFile);

/** What binutils' readelf (which reads every architecture's notes) says the build ID is. */
async function readelfBuildId(path: string): Promise<string | undefined> {
  const { stdout } = await run('readelf', ['-n', path]);
  return /Build ID: ([0-9a-f]+)/.exec(stdout)?.[1];
}

void describe('GNU build ID', () => {
  let dir: CrossBuildDir;
  before(async () => {
    dir = await CrossBuildDir.create('kpkg-buildid-');
  });
  after(async () => {
    await dir.remove();
  });

  const cases: [string, Toolchain, 'pie' | 'shared' | 'object', string[]][] = [
    ['arm64 executable (sha1)', GCC_TOOLCHAINS.arm64, 'pie', ['-Wl,--build-id=sha1']],
    ['armhf 32-bit shared object (md5)', GCC_TOOLCHAINS.armhf, 'shared', ['-Wl,--build-id=md5']],
    ['ppc64 big-endian shared object (lld)', CLANG_TOOLCHAINS.ppc64, 'shared', ['-Wl,--build-id=sha1']],
    // What the kernel does for modules: a relocatable link (ld -r) with --build-id.
    ['arm64 relocatable object linked with -r', GCC_TOOLCHAINS.arm64, 'object', []],
  ];
  for (const [name, toolchain, kind, flags] of cases) {
    test(`is found, as readelf finds it, in a ${name}`, async () => {
      let file = await dir.compile(toolchain, { kind, flags });
      if (kind === 'object') {
        const linked = `${file}.ko`;
        await run('aarch64-linux-gnu-ld', ['-r', '--build-id=sha1', '-o', linked, file]);
        file = linked;
      }
      const expected = await readelfBuildId(file);
      assert.ok(expected !== undefined && expected.length >= 32, `readelf found no build ID in ${file}`);
      assert.equal(await readBuildId(file), expected);
    });
  }

  test('a file without one, and a file that is not ELF, have none', async () => {
    const object = await dir.compile(GCC_TOOLCHAINS.arm64, { kind: 'object' });
    assert.equal(await readelfBuildId(object), undefined);
    assert.equal(await readBuildId(object), undefined);
    assert.equal(
      buildIdOf(
        new TextEncoder().encode('#!/bin/sh\necho not an ELF file, but long enough to look at its header at all\n'),
      ),
      undefined,
    );
    const truncated = (await readFile(object)).subarray(0, 100);
    assert.equal(buildIdOf(truncated), undefined);
  });
});
