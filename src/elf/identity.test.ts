import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readElfFile } from './elf.js';
import type { ElfInfo } from './elf.js';
import { describeIdentity, hostIdentity, identityOf, sameIdentity } from './identity.js';
import type { ElfIdentity } from './identity.js';
import { CrossBuildDir, GCC_TOOLCHAINS } from '../testing/cross-binaries.js';
import type { CompileRequest, Toolchain } from '../testing/cross-binaries.js';

function info(machine: number, flags: number, elfClass: 32 | 64 = 32): ElfInfo {
  return { class: elfClass, endian: 'little', osabi: 0, type: 'DYN', rawType: 3, machine, machineName: '', flags };
}

const ARM_HARD: ElfIdentity = { machine: 40, class: 32, endian: 'little', armFloat: 'hard' };
const ARM_SOFT: ElfIdentity = { machine: 40, class: 32, endian: 'little', armFloat: 'soft' };
const ARM_UNKNOWN: ElfIdentity = { machine: 40, class: 32, endian: 'little' };

void describe('identityOf', () => {
  void it('reads the ARM float ABI from e_flags', () => {
    assert.deepEqual(identityOf(info(40, 0x05000400)), ARM_HARD);
    assert.deepEqual(identityOf(info(40, 0x05000200)), ARM_SOFT);
    assert.deepEqual(identityOf(info(40, 0x05000000)), ARM_UNKNOWN);
    // Both bits contradict each other: unknown rather than a guess.
    assert.deepEqual(identityOf(info(40, 0x05000600)), ARM_UNKNOWN);
  });

  void it('ignores those bits on other machines', () => {
    const id = identityOf(info(243, 0x405, 64));
    assert.deepEqual(id, { machine: 243, class: 64, endian: 'little' });
    assert.equal('armFloat' in id, false);
  });
});

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
    assert.deepEqual(await identityOfBuilt(GCC_TOOLCHAINS.arm64, { kind: 'pie' }), { machine: 183, class: 64, endian: 'little' });
  });

  void it('hostIdentity is the identity of the running node and of host gcc output', async () => {
    const node = await readElfFile(process.execPath);
    if (node.kind !== 'elf') throw new Error(`node is not an ELF: ${JSON.stringify(node)}`);
    assert.ok(sameIdentity(hostIdentity(), identityOf(node.elf)));
    assert.ok(sameIdentity(hostIdentity(), await identityOfBuilt(GCC_TOOLCHAINS.host, { kind: 'pie' })));
  });
});

void describe('sameIdentity', () => {
  void it('needs machine, class and byte order to agree', () => {
    const a: ElfIdentity = { machine: 21, class: 64, endian: 'little' };
    assert.equal(sameIdentity(a, { ...a }), true);
    assert.equal(sameIdentity(a, { ...a, endian: 'big' }), false);
    assert.equal(sameIdentity(a, { ...a, class: 32 }), false);
    assert.equal(sameIdentity(a, { ...a, machine: 20 }), false);
  });

  void it('compares the ARM float ABI only when both sides know it', () => {
    assert.equal(sameIdentity(ARM_HARD, ARM_SOFT), false);
    assert.equal(sameIdentity(ARM_HARD, ARM_HARD), true);
    assert.equal(sameIdentity(ARM_HARD, ARM_UNKNOWN), true);
    assert.equal(sameIdentity(ARM_UNKNOWN, ARM_SOFT), true);
  });

  void it('can be told to ignore the float ABI', () => {
    assert.equal(sameIdentity(ARM_HARD, ARM_SOFT, { compareFloatAbi: false }), true);
    assert.equal(sameIdentity(ARM_HARD, { ...ARM_SOFT, endian: 'big' }, { compareFloatAbi: false }), false);
  });
});

void describe('describeIdentity', () => {
  void it('spells out machine, class, byte order and float ABI', () => {
    assert.equal(describeIdentity({ machine: 183, class: 64, endian: 'little' }), 'AArch64 64-bit little-endian');
    assert.equal(describeIdentity(ARM_HARD), 'ARM 32-bit little-endian hard-float');
    assert.equal(describeIdentity(ARM_SOFT), 'ARM 32-bit little-endian soft-float');
    assert.equal(describeIdentity({ machine: 21, class: 64, endian: 'big' }), 'PowerPC64 64-bit big-endian');
    assert.equal(describeIdentity({ machine: 0x9026, class: 32, endian: 'big' }), 'machine 0x9026 32-bit big-endian');
  });
});
