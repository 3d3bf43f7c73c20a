/** Small synthetic ELF files for tests that only look at identities and file types. */

export interface BareElf {
  class: 32 | 64;
  endian: 'little' | 'big';
  /** e_type: 'REL' (an object), 'EXEC' or 'DYN' (a program or shared object). */
  type: 'REL' | 'EXEC' | 'DYN';
  /** e_machine, e.g. 62 (x86-64), 183 (AArch64), 40 (ARM). */
  machine: number;
  /** e_flags (ARM: the float ABI bits). */
  flags?: number;
}

const E_TYPE = { REL: 1, EXEC: 2, DYN: 3 } as const;

export const X86_64_ELF = { class: 64, endian: 'little', machine: 62 } as const;
export const AARCH64_ELF = { class: 64, endian: 'little', machine: 183 } as const;

/** An ELF header and nothing else (no program or section headers): all an identity check reads. */
export function bareElf(spec: BareElf): Uint8Array {
  const is64 = spec.class === 64;
  const bytes = new Uint8Array(is64 ? 64 : 52);
  const little = spec.endian === 'little';
  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, little ? 1 : 2, 1]);
  const view = new DataView(bytes.buffer);
  view.setUint16(16, E_TYPE[spec.type], little);
  view.setUint16(18, spec.machine, little);
  view.setUint32(20, 1, little);
  view.setUint32(is64 ? 48 : 36, spec.flags ?? 0, little);
  view.setUint16(is64 ? 52 : 40, bytes.length, little);
  return bytes;
}
