import { KpkgError } from '../util/errors.js';

/**
 * What kpkg needs to know about a Debian architecture to emulate it: the qemu-user CPU name
 * (qemu-<cpu>-static, /usr/lib/binfmt.d/qemu-<cpu>.conf) and the ELF identity of its binaries.
 */
export interface DebianArchInfo {
  readonly qemuCpu: string;
  /** ELF e_machine of executables built for this architecture. */
  readonly elfMachine: number;
  /** 32 or 64 (ELF class). */
  readonly elfBits: 32 | 64;
  readonly littleEndian: boolean;
  /** 32-bit ARM only: the float ABI of its executables (armhf hard, armel soft). */
  readonly armFloat?: 'hard' | 'soft';
}

const ARCHES: Readonly<Record<string, DebianArchInfo>> = {
  amd64: { qemuCpu: 'x86_64', elfMachine: 62, elfBits: 64, littleEndian: true },
  i386: { qemuCpu: 'i386', elfMachine: 3, elfBits: 32, littleEndian: true },
  arm64: { qemuCpu: 'aarch64', elfMachine: 183, elfBits: 64, littleEndian: true },
  armhf: { qemuCpu: 'arm', elfMachine: 40, elfBits: 32, littleEndian: true, armFloat: 'hard' },
  armel: { qemuCpu: 'arm', elfMachine: 40, elfBits: 32, littleEndian: true, armFloat: 'soft' },
  ppc64el: { qemuCpu: 'ppc64le', elfMachine: 21, elfBits: 64, littleEndian: true },
  ppc64: { qemuCpu: 'ppc64', elfMachine: 21, elfBits: 64, littleEndian: false },
  powerpc: { qemuCpu: 'ppc', elfMachine: 20, elfBits: 32, littleEndian: false },
  riscv64: { qemuCpu: 'riscv64', elfMachine: 243, elfBits: 64, littleEndian: true },
  s390x: { qemuCpu: 's390x', elfMachine: 22, elfBits: 64, littleEndian: false },
  mips64el: { qemuCpu: 'mips64el', elfMachine: 8, elfBits: 64, littleEndian: true },
  mipsel: { qemuCpu: 'mipsel', elfMachine: 8, elfBits: 32, littleEndian: true },
  loong64: { qemuCpu: 'loongarch64', elfMachine: 258, elfBits: 64, littleEndian: true },
  sparc64: { qemuCpu: 'sparc64', elfMachine: 43, elfBits: 64, littleEndian: false },
  hppa: { qemuCpu: 'hppa', elfMachine: 15, elfBits: 32, littleEndian: false },
  m68k: { qemuCpu: 'm68k', elfMachine: 4, elfBits: 32, littleEndian: false },
  alpha: { qemuCpu: 'alpha', elfMachine: 0x9026, elfBits: 64, littleEndian: true },
  sh4: { qemuCpu: 'sh4', elfMachine: 42, elfBits: 32, littleEndian: true },
};

export function debianArchInfo(debianArch: string): DebianArchInfo {
  const info = Object.hasOwn(ARCHES, debianArch) ? ARCHES[debianArch] : undefined;
  if (info === undefined) {
    throw new KpkgError(`unknown Debian architecture '${debianArch}'`, {
      hint: `use one of: ${Object.keys(ARCHES).join(', ')} (see 'dpkg-architecture -L')`,
    });
  }
  return info;
}

/** qemu-user's name for a Debian architecture: arm64 → aarch64, armhf → arm, ppc64el → ppc64le. */
export function qemuCpuFor(debianArch: string): string {
  return debianArchInfo(debianArch).qemuCpu;
}

/** The Debian suite whose archive carries the architecture (riscv64 and loong64 are not in bookworm). */
export function defaultSuiteFor(debianArch: string): string {
  switch (debianArch) {
    case 'riscv64':
      return 'trixie';
    case 'loong64':
      return 'sid';
    default:
      return 'bookworm';
  }
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
