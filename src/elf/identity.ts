/**
 * What makes two ELF files run on the same machine: e_machine, class, byte order and, for
 * 32-bit ARM, the float ABI (armhf vs armel).
 */
import { EM_ARM, machineName } from './elf.js';
import type { ElfClass, ElfInfo, Endianness } from './elf.js';

export type ArmFloatAbi = 'hard' | 'soft';

export interface ElfIdentity {
  machine: number;
  class: ElfClass;
  endian: Endianness;
  /** Only for EM_ARM, and only when e_flags says so. */
  armFloat?: ArmFloatAbi;
}

/** ARM EABI e_flags bits (ARM ELF ABI, "e_flags"); both are set by the linker, not the compiler. */
export const EF_ARM_ABI_FLOAT_SOFT = 0x200;
export const EF_ARM_ABI_FLOAT_HARD = 0x400;

function armFloatOf(flags: number): ArmFloatAbi | undefined {
  const hard = (flags & EF_ARM_ABI_FLOAT_HARD) !== 0;
  const soft = (flags & EF_ARM_ABI_FLOAT_SOFT) !== 0;
  if (hard === soft) return undefined; // neither (relocatables, kernel objects) or contradictory
  return hard ? 'hard' : 'soft';
}

/**
 * The identity of one ELF file. armFloat is left undefined when e_flags carries no float-ABI bit:
 * gcc does not mark `.o` files (and so kernel modules) with one; ld marks executables and shared
 * objects.
 */
export function identityOf(elf: ElfInfo): ElfIdentity {
  const id: ElfIdentity = { machine: elf.machine, class: elf.class, endian: elf.endian };
  if (elf.machine === EM_ARM) {
    const armFloat = armFloatOf(elf.flags);
    if (armFloat !== undefined) id.armFloat = armFloat;
  }
  return id;
}

export interface SameIdentityOptions {
  /**
   * Compare armFloat when both sides define it (default true). Pass false for kernel-side files:
   * arch/arm/Makefile builds the kernel with -msoft-float, and ld marks a final link of such
   * objects (vmlinux, the vDSO) soft-float even in an armhf kernel.
   */
  compareFloatAbi?: boolean;
}

/** Same machine, class and byte order; armFloat compared only when both define it. */
export function sameIdentity(a: ElfIdentity, b: ElfIdentity, options: SameIdentityOptions = {}): boolean {
  if (a.machine !== b.machine || a.class !== b.class || a.endian !== b.endian) return false;
  const compareFloat = options.compareFloatAbi ?? true;
  if (compareFloat && a.armFloat !== undefined && b.armFloat !== undefined) return a.armFloat === b.armFloat;
  return true;
}

/** e.g. 'AArch64 64-bit little-endian', 'ARM 32-bit little-endian hard-float'. */
export function describeIdentity(id: ElfIdentity): string {
  const base = `${machineName(id.machine)} ${id.class}-bit ${id.endian}-endian`;
  return id.armFloat === undefined ? base : `${base} ${id.armFloat}-float`;
}
