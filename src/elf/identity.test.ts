import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ElfInfo } from './elf.js';
import { describeIdentity, identityOf, sameIdentity } from './identity.js';
import type { ElfIdentity } from './identity.js';

// ELF identities on synthetic headers; on binaries from the real cross toolchains in
// identity.slow.test.ts.

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
