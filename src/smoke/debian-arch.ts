import type { ElfIdentity } from '../elf/identity.js';
import { ARCHES, findArch } from '../arch/arch-table.js';
import { KpkgError } from '../util/errors.js';

/**
 * qemu-user's CPU name for each Debian architecture kpkg can emulate: qemu-<cpu>-static and
 * /usr/lib/binfmt.d/qemu-<cpu>.conf. This is the emulation-specific part; what an architecture's
 * binaries look like (ELF identity) comes from the arch table (src/arch/arch-table.ts).
 */
const QEMU_CPUS: Readonly<Record<string, string>> = {
  amd64: 'x86_64',
  i386: 'i386',
  arm64: 'aarch64',
  armhf: 'arm',
  armel: 'arm',
  ppc64el: 'ppc64le',
  ppc64: 'ppc64',
  powerpc: 'ppc',
  riscv64: 'riscv64',
  s390x: 's390x',
  mips64el: 'mips64el',
  mipsel: 'mipsel',
  loong64: 'loongarch64',
  sparc64: 'sparc64',
  hppa: 'hppa',
  m68k: 'm68k',
  alpha: 'alpha',
  sh4: 'sh4',
};

/** What kpkg needs to know about a Debian architecture to emulate it and check its binaries. */
export interface DebianArchInfo {
  readonly debian: string;
  /** qemu-user's CPU name (see qemuCpuFor). */
  readonly qemuCpu: string;
  /** ELF identity of the architecture's executables, from the arch table (armFloat for armhf/armel). */
  readonly elf: ElfIdentity;
}

/** qemu-user's name for a Debian architecture: arm64 → aarch64, armhf → arm, ppc64el → ppc64le. */
export function qemuCpuFor(debianArch: string): string {
  const cpu = Object.hasOwn(QEMU_CPUS, debianArch) ? QEMU_CPUS[debianArch] : undefined;
  if (cpu === undefined) {
    throw new KpkgError(`unknown Debian architecture '${debianArch}'`, {
      hint: `use one of: ${Object.keys(QEMU_CPUS).join(', ')} (see 'dpkg-architecture -L')`,
    });
  }
  return cpu;
}

/**
 * The qemu CPU and the ELF identity of a Debian architecture. Throws KpkgError for a name that is
 * not a Debian architecture, and for one qemu can emulate but kpkg's arch table has no row for.
 */
export function debianArchInfo(debianArch: string): DebianArchInfo {
  const qemuCpu = qemuCpuFor(debianArch);
  // findArch also takes other names ('aarch64', 'x64'): only the Debian name itself counts here.
  const arch = findArch(debianArch);
  if (arch?.debian !== debianArch) {
    const supported = ARCHES.map((a) => a.debian).filter((d) => Object.hasOwn(QEMU_CPUS, d));
    throw new KpkgError(`kpkg does not support Debian architecture '${debianArch}': its arch table has no ELF identity for it`, {
      hint: `use one of: ${supported.join(', ')}`,
    });
  }
  return { debian: arch.debian, qemuCpu, elf: { ...arch.elf } };
}

const NODE_ARCH_TO_DEBIAN: Readonly<Record<string, string>> = {
  x64: 'amd64',
  ia32: 'i386',
  arm64: 'arm64',
  arm: 'armhf',
  ppc64: 'ppc64el',
  riscv64: 'riscv64',
  s390x: 's390x',
  loong64: 'loong64',
};

/** Debian architectures this machine runs without emulation. */
export function nativeDebianArches(nodeArch: string = process.arch): string[] {
  const own = NODE_ARCH_TO_DEBIAN[nodeArch];
  if (own === undefined) return [];
  return own === 'amd64' ? ['amd64', 'i386'] : [own];
}
