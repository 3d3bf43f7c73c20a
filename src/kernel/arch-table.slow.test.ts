// The arch table against the real cross toolchains (not in test:unit; the table's own tests are
// in arch-table.test.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ARCHES, archesForElf } from '../arch/arch-table.js';
import type { ArchInfo } from '../arch/arch-table.js';
import { readElfFile } from '../elf/elf.js';
import type { ElfInfo } from '../elf/elf.js';
import { identityOf } from '../elf/identity.js';
import { CLANG_TOOLCHAINS, CrossBuildDir, GCC_TOOLCHAINS, queryToolchain } from '../testing/cross-binaries.js';
import type { Toolchain } from '../testing/cross-binaries.js';

function row(debian: string): ArchInfo {
  const found = ARCHES.find((a) => a.debian === debian);
  if (found === undefined) throw new Error(`no row ${debian}`);
  return found;
}

void describe('the table agrees with real toolchains', () => {
  let dir: CrossBuildDir;
  before(async () => {
    dir = await CrossBuildDir.create('kpkg-arch-table-');
  });
  after(async () => {
    await dir.remove();
  });

  async function built(toolchain: Toolchain, kind: 'pie' | 'object', flags: string[] = []): Promise<ElfInfo> {
    const result = await readElfFile(await dir.compile(toolchain, { kind, flags }));
    if (result.kind !== 'elf') throw new Error(`not an ELF: ${JSON.stringify(result)}`);
    return result.elf;
  }

  const gnu = [
    ['amd64', GCC_TOOLCHAINS.amd64],
    ['arm64', GCC_TOOLCHAINS.arm64],
    ['armhf', GCC_TOOLCHAINS.armhf],
    ['riscv64', GCC_TOOLCHAINS.riscv64],
    ['ppc64el', GCC_TOOLCHAINS.ppc64el],
  ] as const;
  for (const [debian, toolchain] of gnu) {
    void it(`${debian}: ${toolchain.command} builds what the row says`, async () => {
      const arch = row(debian);
      assert.equal(toolchain.command, `${arch.crossPrefix}gcc`);
      assert.equal((await queryToolchain(toolchain, ['-dumpmachine'])).stdout.trim(), arch.gnuTriplet);
      const elf = await built(toolchain, 'pie');
      assert.deepEqual(identityOf(elf), arch.elf);
      assert.equal(elf.interpreter, arch.dynamicLoader);
      assert.deepEqual(archesForElf(identityOf(elf)), [arch]);
    });
  }

  void it('armel: the soft-float ABI of the armhf compiler is the armel identity and loader', async () => {
    // No armel libc is installed: link nothing (-nostdlib) and start at main. gcc still picks
    // the loader for the float ABI and ld marks the file soft-float.
    const elf = await built(GCC_TOOLCHAINS.armhf, 'pie', ['-mfloat-abi=soft', '-nostdlib', '-Wl,-e,main']);
    assert.deepEqual(identityOf(elf), row('armel').elf);
    assert.equal(elf.interpreter, row('armel').dynamicLoader);
    assert.deepEqual(archesForElf(identityOf(elf)), [row('armel')]);
  });

  const clangLinked = [
    ['i386', CLANG_TOOLCHAINS.i386],
    ['ppc64', CLANG_TOOLCHAINS.ppc64],
    ['mips64el', CLANG_TOOLCHAINS.mips64el],
  ] as const;
  for (const [debian, toolchain] of clangLinked) {
    void it(`${debian}: clang/lld's default loader and identity match the row`, async () => {
      const arch = row(debian);
      const elf = await built(toolchain, 'pie');
      assert.deepEqual(identityOf(elf), arch.elf);
      assert.equal(elf.interpreter, arch.dynamicLoader);
      assert.deepEqual(identityOf(await built(toolchain, 'object')), arch.elf);
    });
  }

  void it("s390x: clang's objects and its driver's loader match the row", async () => {
    const arch = row('s390x');
    assert.deepEqual(identityOf(await built(CLANG_TOOLCHAINS.s390x, 'object')), arch.elf);
    // clang 14's lld cannot link s390x, so ask the driver what it would pass to the linker.
    const { stderr } = await queryToolchain(CLANG_TOOLCHAINS.s390x, [
      '-###',
      '-x',
      'c',
      '/dev/null',
      '-o',
      '/dev/null',
    ]);
    assert.match(stderr, /"-dynamic-linker" "\/lib\/ld64\.so\.1"/);
  });
});
