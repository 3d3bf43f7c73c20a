/** The row of the machine kpkg runs on, from Node's process.arch, byte order and float ABI. */
import { endianness } from 'node:os';
import type { ElfIdentity } from '../elf/identity.js';
import { KpkgError } from '../util/errors.js';
import { ARCHES } from './arch-table.js';
import type { ArchInfo } from './arch-table.js';

/**
 * The row for a Node.js process.arch value and byte order. Node reports 'arm' for both armhf and
 * armel builds; its build variable arm_float_abi tells them apart ('hard' unless it says 'soft').
 */
export function archForNode(nodeArch: string, byteOrder: 'BE' | 'LE', armFloatAbi?: string): ArchInfo | undefined {
  const endian = byteOrder === 'BE' ? 'big' : 'little';
  const rows = ARCHES.filter((a) => a.nodeArch === nodeArch && a.elf.endian === endian);
  if (rows.length <= 1) return rows[0];
  const armFloat = armFloatAbi === 'soft' || armFloatAbi === 'softfp' ? 'soft' : 'hard';
  return rows.find((a) => a.elf.armFloat === armFloat);
}

/** The row of the machine kpkg runs on (process.arch). */
export function hostArch(): ArchInfo {
  const variables: Readonly<Record<string, unknown>> = process.config.variables;
  const floatAbi = variables['arm_float_abi'];
  const arch = archForNode(process.arch, endianness(), typeof floatAbi === 'string' ? floatAbi : undefined);
  if (arch === undefined) {
    throw new KpkgError(
      `kpkg does not know the architecture it is running on (Node.js process.arch '${process.arch}', ${endianness()})`,
    );
  }
  return arch;
}

/** Identity of the machine running kpkg (process.arch and byte order, through the arch table). */
export function hostIdentity(): ElfIdentity {
  return { ...hostArch().elf };
}
