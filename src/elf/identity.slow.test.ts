// ELF identities of binaries from the real cross toolchains (not in test:unit; the synthetic
// cases are in identity.test.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readElfFile } from './elf.js';
import { identityOf, sameIdentity } from './identity.js';
import type { ElfIdentity } from './identity.js';
import { CrossBuildDir, GCC_TOOLCHAINS } from '../testing/cross-binaries.js';
import type { CompileRequest, Toolchain } from '../testing/cross-binaries.js';

const ARM_HARD: ElfIdentity = { machine: 40, class: 32, endian: 'little', armFloat: 'hard' };
const ARM_SOFT: ElfIdentity = { machine: 40, class: 32, endian: 'little', armFloat: 'soft' };
const ARM_UNKNOWN: ElfIdentity = { machine: 40, class: 32, endian: 'little' };

void describe('identity of real binaries', () => {
  let dir: CrossBuildDir;
  before(async () => {
    dir = await CrossBuildDir.create('kpkg-identity-');
  });
  after(async () => {
    await dir.remove();
  });

  async function identityOfBuilt(toolchain: Toolchain, request: CompileRequest): Promise<ElfIdentity> {
    const result = await readElfFile(await dir.compile(toolchain, request));
    if (result.kind !== 'elf') throw new Error(`not an ELF: ${JSON.stringify(result)}`);
    return identityOf(result.elf);
  }

  void it('armhf executables and libraries are hard-float, objects unmarked', async () => {
    assert.deepEqual(await identityOfBuilt(GCC_TOOLCHAINS.armhf, { kind: 'pie' }), ARM_HARD);
    assert.deepEqual(await identityOfBuilt(GCC_TOOLCHAINS.armhf, { kind: 'shared' }), ARM_HARD);
    assert.deepEqual(await identityOfBuilt(GCC_TOOLCHAINS.armhf, { kind: 'object' }), ARM_UNKNOWN);
  });

  void it('a soft-float (armel ABI) library is marked soft by the linker', async () => {
    // No soft-float libc is installed, so link nothing: the float ABI mark comes from ld itself.
    const flags = ['-mfloat-abi=soft', '-nostdlib'];
    assert.deepEqual(await identityOfBuilt(GCC_TOOLCHAINS.armhf, { kind: 'shared', flags }), ARM_SOFT);
    assert.deepEqual(await identityOfBuilt(GCC_TOOLCHAINS.armhf, { kind: 'object', flags }), ARM_UNKNOWN);
  });

  void it('an arm64 executable', async () => {
    assert.deepEqual(await identityOfBuilt(GCC_TOOLCHAINS.arm64, { kind: 'pie' }), {
      machine: 183,
      class: 64,
      endian: 'little',
    });
  });

  // hostIdentity (src/arch/host.ts) is checked against the running node in host.test.ts.
  void it('host gcc output has the identity of the running node', async () => {
    const node = await readElfFile(process.execPath);
    if (node.kind !== 'elf') throw new Error(`node is not an ELF: ${JSON.stringify(node)}`);
    assert.ok(sameIdentity(identityOf(node.elf), await identityOfBuilt(GCC_TOOLCHAINS.host, { kind: 'pie' })));
  });
});
