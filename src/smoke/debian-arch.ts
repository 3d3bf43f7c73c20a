import { endianness } from 'node:os';
import type { ElfIdentity } from '../elf/identity.js';
import { ARCHES, archByDebian, QEMU_ONLY_ARCHES } from '../arch/arch-table.js';
import { archForNode } from '../arch/host.js';
import { KpkgError } from '../util/errors.js';

/** What kpkg needs to know about a Debian architecture to emulate it and check its binaries. */
export interface DebianArchInfo {
  readonly debian: string;
  /** qemu-user's CPU name (see qemuCpuFor). */
  readonly qemuCpu: string;
  /** ELF identity of the architecture's executables, from the arch table (armFloat for armhf/armel). */
  readonly elf: ElfIdentity;
}

/**
 * qemu-user's name for a Debian architecture (arm64 → aarch64, armhf → arm, ppc64el → ppc64le):
 * qemu-<cpu>-static and /usr/lib/binfmt.d/qemu-<cpu>.conf. The arch table's rows, and the
 * Debian architectures it lists as emulated only.
 */
export function qemuCpuFor(debianArch: string): string {
  const known = archByDebian(debianArch) ?? QEMU_ONLY_ARCHES.find((a) => a.debian === debianArch);
  if (known === undefined) {
    const names = [...ARCHES, ...QEMU_ONLY_ARCHES].map((a) => a.debian);
    throw new KpkgError(`unknown Debian architecture '${debianArch}'`, {
      hint: `use one of: ${names.join(', ')} (see 'dpkg-architecture -L')`,
    });
  }
  return known.qemuUser;
}

/**
 * The qemu CPU and the ELF identity of a Debian architecture. Throws KpkgError for a name that is
 * not a Debian architecture, and for one qemu can emulate but kpkg's arch table has no row for.
 */
export function debianArchInfo(debianArch: string): DebianArchInfo {
  const qemuCpu = qemuCpuFor(debianArch);
  // findArch also takes other names ('aarch64', 'x64'): only the Debian name itself counts here.
  const arch = archByDebian(debianArch);
  if (arch === undefined) {
    throw new KpkgError(
      `kpkg does not support Debian architecture '${debianArch}': its arch table has no ELF identity for it`,
      {
        hint: `use one of: ${ARCHES.map((a) => a.debian).join(', ')}`,
      },
    );
  }
  return { debian: arch.debian, qemuCpu, elf: { ...arch.elf } };
}

/** Debian architectures a machine with this Node.js process.arch runs without emulation. */
export function nativeDebianArches(nodeArch: string = process.arch, byteOrder: 'BE' | 'LE' = endianness()): string[] {
  const own = archForNode(nodeArch, byteOrder);
  return own === undefined ? [] : [own.debian, ...(own.alsoRuns ?? [])];
}
