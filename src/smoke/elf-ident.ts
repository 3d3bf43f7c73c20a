/** What the first bytes of an ELF file say about it. */
export interface ElfIdent {
  readonly bits: 32 | 64;
  readonly littleEndian: boolean;
  /** e_type: 1 relocatable, 2 executable, 3 shared object or PIE, 4 core. */
  readonly type: number;
  readonly machine: number;
  /** e_flags (for ARM: EF_ARM_ABI_FLOAT_HARD 0x400, EF_ARM_ABI_FLOAT_SOFT 0x200). */
  readonly flags: number;
}

/** Bytes readElfIdent needs. */
export const ELF_IDENT_SIZE = 52;

/** Decodes an ELF header's identity, or undefined when `header` is not ELF. */
export function readElfIdent(header: Uint8Array): ElfIdent | undefined {
  if (header.length < ELF_IDENT_SIZE) return undefined;
  if (header[0] !== 0x7f || header[1] !== 0x45 || header[2] !== 0x4c || header[3] !== 0x46) return undefined;
  const bits = header[4] === 1 ? 32 : header[4] === 2 ? 64 : undefined;
  const littleEndian = header[5] === 1 ? true : header[5] === 2 ? false : undefined;
  if (bits === undefined || littleEndian === undefined) return undefined;
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const flags = view.getUint32(bits === 32 ? 36 : 48, littleEndian);
  return { bits, littleEndian, type: view.getUint16(16, littleEndian), machine: view.getUint16(18, littleEndian), flags };
}

const MACHINE_NAMES: Readonly<Record<number, string>> = {
  3: 'x86 (i386)',
  4: 'm68k',
  8: 'MIPS',
  15: 'PA-RISC',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM',
  42: 'SuperH',
  43: 'SPARC V9',
  62: 'x86-64',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

const EM_ARM = 40;

/** For ARM executables and shared objects, the float ABI the linker marked; undefined otherwise. */
export function armFloatAbi(ident: ElfIdent): 'hard' | 'soft' | undefined {
  if (ident.machine !== EM_ARM) return undefined;
  const hard = (ident.flags & 0x400) !== 0;
  const soft = (ident.flags & 0x200) !== 0;
  if (hard === soft) return undefined;
  return hard ? 'hard' : 'soft';
}

/** "x86-64, 64-bit LSB" style description ("ARM, 32-bit LSB, hard-float" for ARM). */
export function describeElf(ident: ElfIdent): string {
  const name = MACHINE_NAMES[ident.machine] ?? `machine ${ident.machine}`;
  const float = armFloatAbi(ident);
  return `${name}, ${ident.bits}-bit ${ident.littleEndian ? 'LSB' : 'MSB'}${float === undefined ? '' : `, ${float}-float`}`;
}
