/**
 * The architectures kpkg packages for, and every name each one goes by: Debian, kernel ARCH and
 * SRCARCH, RPM, pacman, GNU triplet, Debian multiarch directory, uname -m, Node's process.arch.
 *
 * Facts here were checked against: the kernel's arch/<srcarch>/Makefile and
 * scripts/package/builddeb (6.1 and 6.12), clang's driver (`clang --target=<triplet> -###` prints
 * the dynamic linker glibc expects) and the cross compilers' output (see arch-table.test.ts).
 */
import { endianness } from 'node:os';
import { EM_386, EM_AARCH64, EM_ARM, EM_LOONGARCH, EM_MIPS, EM_PPC64, EM_RISCV, EM_S390, EM_X86_64 } from '../elf/elf.js';
import { sameIdentity } from '../elf/identity.js';
import type { ElfIdentity } from '../elf/identity.js';
import { KpkgError } from '../util/errors.js';

/** A Kconfig symbol that must be set to y (`enabled: true`) or must not be (`enabled: false`). */
export interface KconfigCondition {
  symbol: string;
  enabled: boolean;
}

export interface BootImage {
  /** `make` target that builds the image. */
  makeTarget: string;
  /** Where the build leaves it, relative to the object tree. */
  builtPath: string;
  /** File name prefix under /boot: the image is installed as /boot/<installName>-<release>. */
  installName: string;
}

export interface ArchInfo {
  /** Canonical id: Debian architecture name. */
  debian: string;
  /** What you pass as ARCH=. */
  kernelArch: string;
  /** The arch/ directory (the kernel's SRCARCH). */
  srcArch: string;
  rpm: string;
  /** Arch Linux or Arch Linux port name; only x86_64 is an official Arch Linux architecture. */
  pacman: string;
  /** GNU triplet of Debian's cross toolchain (DEB_HOST_GNU_TYPE). */
  gnuTriplet: string;
  /** Debian multiarch directory (DEB_HOST_MULTIARCH): /usr/lib/<multiarch>. */
  multiarch: string;
  /** The usual CROSS_COMPILE: `${gnuTriplet}-`. */
  crossPrefix: string;
  elf: ElfIdentity;
  /** PT_INTERP of glibc programs for this architecture. */
  dynamicLoader: string;
  /** Image of a default configuration; bootImageForConfig refines it for a given .config. */
  bootImage: BootImage;
  /** Install path template with the literal RELEASE_PLACEHOLDER; see bootInstallPathFor. */
  bootInstallPath: string;
  /**
   * Kconfig symbols (from include/config/auto.conf / .config) that pick this row among rows
   * sharing srcArch; archForKernelConfig takes the first row, in table order, whose conditions hold.
   */
  kconfig: readonly KconfigCondition[];
  /** More names findArch accepts: uname -m values, Node's process.arch, Fedora basearch. */
  aliases: readonly string[];
}

export const RELEASE_PLACEHOLDER = '<release>';

const on = (symbol: string): KconfigCondition => ({ symbol, enabled: true });
const off = (symbol: string): KconfigCondition => ({ symbol, enabled: false });

const VMLINUZ = `/boot/vmlinuz-${RELEASE_PLACEHOLDER}`;
/** scripts/package/builddeb installs the image as /boot/vmlinux-* for SRCARCH mips, powerpc, parisc. */
const VMLINUX = `/boot/vmlinux-${RELEASE_PLACEHOLDER}`;

const X86_BZIMAGE: BootImage = { makeTarget: 'bzImage', builtPath: 'arch/x86/boot/bzImage', installName: 'vmlinuz' };
/** arch/arm/Makefile: KBUILD_IMAGE is zImage (xipImage for XIP kernels). */
const ARM_ZIMAGE: BootImage = { makeTarget: 'zImage', builtPath: 'arch/arm/boot/zImage', installName: 'vmlinuz' };
/** arch/powerpc/Makefile sets no KBUILD_IMAGE, so packaging falls back to the top-level vmlinux. */
const PPC_VMLINUX: BootImage = { makeTarget: 'vmlinux', builtPath: 'vmlinux', installName: 'vmlinux' };

/**
 * Table order matters where rows share srcArch: archForKernelConfig takes the first match, so
 * armhf (stricter conditions) comes before armel.
 */
export const ARCHES: readonly ArchInfo[] = [
  {
    debian: 'amd64',
    kernelArch: 'x86_64',
    srcArch: 'x86',
    rpm: 'x86_64',
    pacman: 'x86_64',
    gnuTriplet: 'x86_64-linux-gnu',
    multiarch: 'x86_64-linux-gnu',
    crossPrefix: 'x86_64-linux-gnu-',
    elf: { machine: EM_X86_64, class: 64, endian: 'little' },
    dynamicLoader: '/lib64/ld-linux-x86-64.so.2',
    bootImage: X86_BZIMAGE,
    bootInstallPath: VMLINUZ,
    kconfig: [on('CONFIG_64BIT')],
    aliases: ['x64', 'x86-64'],
  },
  {
    debian: 'i386',
    kernelArch: 'i386',
    srcArch: 'x86',
    rpm: 'i686',
    // Arch Linux 32, an unofficial port.
    pacman: 'i686',
    // Debian's toolchain is i686-linux-gnu, but its multiarch directory keeps the old i386 name.
    gnuTriplet: 'i686-linux-gnu',
    multiarch: 'i386-linux-gnu',
    crossPrefix: 'i686-linux-gnu-',
    elf: { machine: EM_386, class: 32, endian: 'little' },
    dynamicLoader: '/lib/ld-linux.so.2',
    bootImage: X86_BZIMAGE,
    bootInstallPath: VMLINUZ,
    kconfig: [off('CONFIG_64BIT')],
    aliases: ['ia32', 'i486', 'i586'],
  },
  {
    debian: 'arm64',
    kernelArch: 'arm64',
    srcArch: 'arm64',
    rpm: 'aarch64',
    // Arch Linux ARM.
    pacman: 'aarch64',
    gnuTriplet: 'aarch64-linux-gnu',
    multiarch: 'aarch64-linux-gnu',
    crossPrefix: 'aarch64-linux-gnu-',
    elf: { machine: EM_AARCH64, class: 64, endian: 'little' },
    dynamicLoader: '/lib/ld-linux-aarch64.so.1',
    // KBUILD_IMAGE (what `make image_name` prints and builddeb copies) is Image.gz, not Image;
    // vmlinuz.efi with CONFIG_EFI_ZBOOT.
    bootImage: { makeTarget: 'Image.gz', builtPath: 'arch/arm64/boot/Image.gz', installName: 'vmlinuz' },
    bootInstallPath: VMLINUZ,
    kconfig: [off('CONFIG_CPU_BIG_ENDIAN')],
    aliases: [],
  },
  {
    debian: 'armhf',
    kernelArch: 'arm',
    srcArch: 'arm',
    rpm: 'armv7hl',
    // Arch Linux ARM.
    pacman: 'armv7h',
    gnuTriplet: 'arm-linux-gnueabihf',
    multiarch: 'arm-linux-gnueabihf',
    crossPrefix: 'arm-linux-gnueabihf-',
    elf: { machine: EM_ARM, class: 32, endian: 'little', armFloat: 'hard' },
    dynamicLoader: '/lib/ld-linux-armhf.so.3',
    bootImage: ARM_ZIMAGE,
    bootInstallPath: VMLINUZ,
    // Kconfig cannot tell armhf from armel: the float ABI is a userspace choice. armhf userspace
    // needs an ARMv7 kernel (CONFIG_CPU_32v7) that saves VFP state (CONFIG_VFP); such kernels
    // run armel userspace too, and armhf is the default for them. Without either, only armel works.
    kconfig: [on('CONFIG_AEABI'), on('CONFIG_CPU_32v7'), on('CONFIG_VFP'), off('CONFIG_CPU_BIG_ENDIAN')],
    aliases: ['armv7l', 'armhfp'],
  },
  {
    debian: 'armel',
    kernelArch: 'arm',
    srcArch: 'arm',
    rpm: 'armv5tel',
    // Arch Linux ARM's ARMv5 port, discontinued in 2022. findArch('arm') still returns
    // undefined: 'arm' is first of all the kernel ARCH of both armhf and armel.
    pacman: 'arm',
    gnuTriplet: 'arm-linux-gnueabi',
    multiarch: 'arm-linux-gnueabi',
    crossPrefix: 'arm-linux-gnueabi-',
    elf: { machine: EM_ARM, class: 32, endian: 'little', armFloat: 'soft' },
    dynamicLoader: '/lib/ld-linux.so.3',
    bootImage: ARM_ZIMAGE,
    bootInstallPath: VMLINUZ,
    // Debian armel is EABI; an OABI-only kernel cannot run it.
    kconfig: [on('CONFIG_AEABI'), off('CONFIG_CPU_BIG_ENDIAN')],
    aliases: ['armv5tejl'],
  },
  {
    debian: 'riscv64',
    kernelArch: 'riscv',
    srcArch: 'riscv',
    rpm: 'riscv64',
    // Arch Linux RISC-V port.
    pacman: 'riscv64',
    gnuTriplet: 'riscv64-linux-gnu',
    multiarch: 'riscv64-linux-gnu',
    crossPrefix: 'riscv64-linux-gnu-',
    elf: { machine: EM_RISCV, class: 64, endian: 'little' },
    dynamicLoader: '/lib/ld-linux-riscv64-lp64d.so.1',
    // Default KBUILD_IMAGE is Image.gz (6.12 via the default CONFIG_KERNEL_GZIP).
    bootImage: { makeTarget: 'Image.gz', builtPath: 'arch/riscv/boot/Image.gz', installName: 'vmlinuz' },
    bootInstallPath: VMLINUZ,
    kconfig: [on('CONFIG_64BIT')],
    aliases: [],
  },
  {
    debian: 'ppc64el',
    kernelArch: 'powerpc',
    srcArch: 'powerpc',
    rpm: 'ppc64le',
    // Arch POWER, an unofficial port.
    pacman: 'powerpc64le',
    gnuTriplet: 'powerpc64le-linux-gnu',
    multiarch: 'powerpc64le-linux-gnu',
    crossPrefix: 'powerpc64le-linux-gnu-',
    elf: { machine: EM_PPC64, class: 64, endian: 'little' },
    // ELFv2 ABI loader.
    dynamicLoader: '/lib64/ld64.so.2',
    bootImage: PPC_VMLINUX,
    bootInstallPath: VMLINUX,
    kconfig: [on('CONFIG_PPC64'), on('CONFIG_CPU_LITTLE_ENDIAN')],
    aliases: [],
  },
  {
    debian: 'ppc64',
    kernelArch: 'powerpc',
    srcArch: 'powerpc',
    rpm: 'ppc64',
    // Arch POWER, an unofficial port.
    pacman: 'powerpc64',
    gnuTriplet: 'powerpc64-linux-gnu',
    multiarch: 'powerpc64-linux-gnu',
    crossPrefix: 'powerpc64-linux-gnu-',
    elf: { machine: EM_PPC64, class: 64, endian: 'big' },
    // Debian ppc64 (a ports architecture) is ELFv1, whose loader is ld64.so.1, not ppc64el's .so.2.
    dynamicLoader: '/lib64/ld64.so.1',
    bootImage: PPC_VMLINUX,
    bootInstallPath: VMLINUX,
    kconfig: [on('CONFIG_PPC64'), off('CONFIG_CPU_LITTLE_ENDIAN')],
    aliases: [],
  },
  {
    debian: 's390x',
    kernelArch: 's390',
    srcArch: 's390',
    rpm: 's390x',
    // No Arch Linux port exists; this is the uname -m name.
    pacman: 's390x',
    gnuTriplet: 's390x-linux-gnu',
    multiarch: 's390x-linux-gnu',
    crossPrefix: 's390x-linux-gnu-',
    elf: { machine: EM_S390, class: 64, endian: 'big' },
    // In /lib, not /lib64, unlike most 64-bit loaders.
    dynamicLoader: '/lib/ld64.so.1',
    bootImage: { makeTarget: 'bzImage', builtPath: 'arch/s390/boot/bzImage', installName: 'vmlinuz' },
    bootInstallPath: VMLINUZ,
    kconfig: [on('CONFIG_64BIT')],
    aliases: [],
  },
  {
    debian: 'loong64',
    kernelArch: 'loongarch',
    srcArch: 'loongarch',
    rpm: 'loongarch64',
    // Loong Arch Linux, an unofficial port.
    pacman: 'loong64',
    gnuTriplet: 'loongarch64-linux-gnu',
    multiarch: 'loongarch64-linux-gnu',
    crossPrefix: 'loongarch64-linux-gnu-',
    elf: { machine: EM_LOONGARCH, class: 64, endian: 'little' },
    dynamicLoader: '/lib64/ld-linux-loongarch-lp64d.so.1',
    // CONFIG_EFI_STUB defaults to y: vmlinux.efi (vmlinuz.efi with EFI_ZBOOT, vmlinux.elf without the stub).
    bootImage: { makeTarget: 'vmlinux.efi', builtPath: 'arch/loongarch/boot/vmlinux.efi', installName: 'vmlinuz' },
    bootInstallPath: VMLINUZ,
    kconfig: [on('CONFIG_64BIT')],
    aliases: [],
  },
  {
    debian: 'mips64el',
    kernelArch: 'mips',
    srcArch: 'mips',
    rpm: 'mips64el',
    // No maintained Arch Linux port (an old Loongson one used this name).
    pacman: 'mips64el',
    gnuTriplet: 'mips64el-linux-gnuabi64',
    multiarch: 'mips64el-linux-gnuabi64',
    crossPrefix: 'mips64el-linux-gnuabi64-',
    elf: { machine: EM_MIPS, class: 64, endian: 'little' },
    // n64 ABI loader (o32 is /lib/ld.so.1, n32 /lib32/ld.so.1).
    dynamicLoader: '/lib64/ld.so.1',
    // arch/mips/Makefile sets no KBUILD_IMAGE: packaging takes vmlinux, installed as /boot/vmlinux-*.
    bootImage: { makeTarget: 'vmlinux', builtPath: 'vmlinux', installName: 'vmlinux' },
    bootInstallPath: VMLINUX,
    kconfig: [on('CONFIG_64BIT'), on('CONFIG_CPU_LITTLE_ENDIAN')],
    aliases: [],
  },
];

/** '/boot/vmlinuz-6.12.9-arm64' style path of the boot image for one kernel release. */
export function bootInstallPathFor(arch: ArchInfo, release: string): string {
  return arch.bootInstallPath.replace(RELEASE_PLACEHOLDER, release);
}

function namesOf(arch: ArchInfo): string[] {
  return [arch.debian, arch.kernelArch, arch.srcArch, arch.rpm, arch.pacman, arch.gnuTriplet, arch.multiarch, ...arch.aliases];
}

/** Every name mapped to its row; a name used by two rows maps to null (ambiguous). */
const NAME_INDEX: ReadonlyMap<string, ArchInfo | null> = (() => {
  const index = new Map<string, ArchInfo | null>();
  for (const arch of ARCHES) {
    for (const name of new Set(namesOf(arch).map((n) => n.toLowerCase()))) {
      index.set(name, index.has(name) ? null : arch);
    }
  }
  return index;
})();

/** 'aarch64-unknown-linux-gnu-' -> 'aarch64-linux-gnu': drops a trailing '-' and a vendor field. */
function normalizeTriplet(name: string): string {
  const bare = name.endsWith('-') ? name.slice(0, -1) : name;
  const withVendor = /^([^-]+)-([^-]+)-linux-(.+)$/.exec(bare);
  return withVendor === null ? bare : `${withVendor[1] ?? ''}-linux-${withVendor[3] ?? ''}`;
}

/**
 * Accepts any name people use, case-insensitively: Debian ('arm64', 'amd64', 'ppc64el'), RPM
 * ('aarch64', 'ppc64le', 'armv7hl'), pacman ('armv7h', 'powerpc64le'), GNU triplet with or
 * without vendor or trailing '-' ('aarch64-linux-gnu', 'x86_64-pc-linux-gnu'), Debian multiarch
 * ('i386-linux-gnu'), uname -m ('armv7l', 'ppc64le'), Node's process.arch ('x64', 'ia32').
 *
 * Kernel ARCH/SRCARCH names resolve only where they denote one row ('riscv' -> riscv64,
 * 's390' -> s390x, 'loongarch' -> loong64, 'mips' -> mips64el). 'x86', 'arm' and 'powerpc'
 * each cover two rows and return undefined: use archForKernelConfig with the tree's config.
 */
export function findArch(name: string): ArchInfo | undefined {
  const key = name.trim().toLowerCase();
  if (key === '') return undefined;
  const direct = NAME_INDEX.get(key);
  if (direct !== undefined) return direct ?? undefined;
  return NAME_INDEX.get(normalizeTriplet(key)) ?? undefined;
}

function holds(condition: KconfigCondition, config: ReadonlyMap<string, string>): boolean {
  return (config.get(condition.symbol) === 'y') === condition.enabled;
}

function describeCondition(c: KconfigCondition): string {
  return c.enabled ? `${c.symbol}=y` : `${c.symbol} not set`;
}

function describeActual(symbol: string, config: ReadonlyMap<string, string>): string {
  const value = config.get(symbol);
  return value === undefined || value === 'n' ? `${symbol} not set` : `${symbol}=${value}`;
}

/**
 * The symbol each kernel architecture's Kconfig defines as y ("config ARM64 def_bool y" in
 * arch/arm64/Kconfig, "config X86" for both 32- and 64-bit x86, "config PPC" ...): what a
 * configuration alone says about SRCARCH.
 */
const SRCARCH_SYMBOLS: readonly (readonly [symbol: string, srcArch: string])[] = [
  ['CONFIG_ARM64', 'arm64'],
  ['CONFIG_X86', 'x86'],
  ['CONFIG_ARM', 'arm'],
  ['CONFIG_RISCV', 'riscv'],
  ['CONFIG_PPC', 'powerpc'],
  ['CONFIG_S390', 's390'],
  ['CONFIG_LOONGARCH', 'loongarch'],
  ['CONFIG_MIPS', 'mips'],
];

export interface ConfiguredArch {
  /** SRCARCH, from its symbol. */
  srcArch: string;
  /** Rows of that SRCARCH whose conditions hold, in table order (armhf and armel both for an ARMv7 VFP kernel); empty when none does. */
  arches: ArchInfo[];
  /** The symbols that decided it, e.g. "CONFIG_ARM64=y, CONFIG_CPU_BIG_ENDIAN not set". */
  evidence: string;
}

/**
 * What a kernel configuration (its Kconfig symbols, as for archForKernelConfig) is for, from the
 * configuration alone: undefined when it names no architecture kpkg knows.
 */
export function archesForKernelConfig(config: ReadonlyMap<string, string>): ConfiguredArch | undefined {
  const known = SRCARCH_SYMBOLS.find(([symbol]) => config.get(symbol) === 'y');
  if (known === undefined) return undefined;
  const [symbol, srcArch] = known;
  const rows = ARCHES.filter((a) => a.srcArch === srcArch);
  const arches = rows.filter((a) => a.kconfig.every((c) => holds(c, config)));
  const symbols = [...new Set((arches[0] ?? rows[0])?.kconfig.map((c) => c.symbol) ?? [])];
  const evidence = [`${symbol}=y`, ...(arches.length > 0 ? symbols.map((s) => describeActual(s, config)) : [])].join(', ');
  return { srcArch, arches, evidence: arches.length > 0 ? evidence : `${evidence}; ${unmatchedConfig(rows, config)}` };
}

/** Why no row of the candidates fits: what each needs and what the configuration has. */
function unmatchedConfig(candidates: readonly ArchInfo[], config: ReadonlyMap<string, string>): string {
  const needs = candidates.map((a) => `${a.debian} needs ${a.kconfig.map(describeCondition).join(', ')}`).join('; ');
  const symbols = [...new Set(candidates.flatMap((a) => a.kconfig.map((c) => c.symbol)))];
  return `${needs}; the tree has ${symbols.map((s) => describeActual(s, config)).join(', ')}`;
}

/**
 * Picks the row for a configured kernel tree from its ARCH or SRCARCH and its Kconfig symbols
 * (keys like 'CONFIG_64BIT', values 'y'/'m'/string, unset symbols absent). Throws KpkgError
 * naming the symbols when the configuration is one kpkg does not package for.
 */
export function archForKernelConfig(arch: string, config: ReadonlyMap<string, string>): ArchInfo {
  const key = arch.trim().toLowerCase();
  const candidates = ARCHES.filter((a) => a.srcArch === key || a.kernelArch === key);
  if (candidates.length === 0) {
    const known = [...new Set(ARCHES.flatMap((a) => [a.srcArch, a.kernelArch]))].join(', ');
    throw new KpkgError(`kpkg does not support kernel architecture '${arch}'`, {
      hint: `kpkg packages kernels built with ARCH= one of: ${known}`,
    });
  }
  const match = candidates.find((a) => a.kconfig.every((c) => holds(c, config)));
  if (match !== undefined) return match;

  throw new KpkgError(`this ${candidates[0]?.srcArch ?? key} kernel configuration is not one kpkg packages for: ${unmatchedConfig(candidates, config)}`, {
    hint: 'check the tree\'s .config (include/config/auto.conf) or configure the kernel for a supported architecture',
  });
}

const COMPRESSED_IMAGE_SUFFIXES: readonly (readonly [string, string])[] = [
  ['CONFIG_KERNEL_BZIP2', 'Image.bz2'],
  ['CONFIG_KERNEL_GZIP', 'Image.gz'],
  ['CONFIG_KERNEL_LZ4', 'Image.lz4'],
  ['CONFIG_KERNEL_LZMA', 'Image.lzma'],
  ['CONFIG_KERNEL_LZO', 'Image.lzo'],
  ['CONFIG_KERNEL_ZSTD', 'Image.zst'],
  ['CONFIG_KERNEL_XZ', 'Image.xz'],
  ['CONFIG_KERNEL_UNCOMPRESSED', 'Image'],
];

/** The image file name (in arch/<srcarch>/boot) a given config builds, for arches where it varies. */
function configuredImageName(arch: ArchInfo, config: ReadonlyMap<string, string>): string | undefined {
  const y = (symbol: string): boolean => config.get(symbol) === 'y';
  switch (arch.srcArch) {
    case 'arm64':
      return y('CONFIG_EFI_ZBOOT') ? 'vmlinuz.efi' : undefined;
    case 'arm':
      return y('CONFIG_XIP_KERNEL') ? 'xipImage' : undefined;
    case 'riscv': {
      // arch/riscv/Makefile: XIP wins, then EFI zboot, then the K210 M-mode loader, then the
      // compression choice (6.12; older trees have none and always build Image.gz).
      if (y('CONFIG_XIP_KERNEL')) return 'xipImage';
      if (y('CONFIG_EFI_ZBOOT')) return 'vmlinuz.efi';
      if (y('CONFIG_RISCV_M_MODE') && y('CONFIG_SOC_CANAAN_K210')) return 'loader.bin';
      return COMPRESSED_IMAGE_SUFFIXES.find(([symbol]) => y(symbol))?.[1];
    }
    case 'loongarch':
      if (!y('CONFIG_EFI_STUB')) return 'vmlinux.elf';
      return y('CONFIG_EFI_ZBOOT') ? 'vmlinuz.efi' : undefined;
    default:
      return undefined;
  }
}

/**
 * The boot image a configured tree builds, mirroring KBUILD_IMAGE in arch/<srcarch>/Makefile.
 * For a tree at hand, `make -s image_name` (what scripts/package/builddeb uses) is the authority;
 * this is for planning before or without running make.
 */
export function bootImageForConfig(arch: ArchInfo, config: ReadonlyMap<string, string>): BootImage {
  const name = configuredImageName(arch, config);
  if (name === undefined) return arch.bootImage;
  return { makeTarget: name, builtPath: `arch/${arch.srcArch}/boot/${name}`, installName: arch.bootImage.installName };
}

/** Rows whose ELF identity matches (armFloat compared when defined on both). */
export function archesForElf(id: ElfIdentity): ArchInfo[] {
  return ARCHES.filter((a) => sameIdentity(a.elf, id));
}

function byDebian(debian: string): ArchInfo {
  const arch = ARCHES.find((a) => a.debian === debian);
  if (arch === undefined) throw new Error(`arch table has no row '${debian}'`);
  return arch;
}

/**
 * The row for a Node.js process.arch value. Node reports 'arm' for both armhf and armel builds;
 * its build variable arm_float_abi tells them apart ('hard' unless it says 'soft').
 */
export function archForNode(nodeArch: string, byteOrder: 'BE' | 'LE', armFloatAbi?: string): ArchInfo | undefined {
  switch (nodeArch) {
    case 'x64':
      return byDebian('amd64');
    case 'ia32':
      return byDebian('i386');
    case 'arm64':
      return byteOrder === 'LE' ? byDebian('arm64') : undefined;
    case 'arm':
      if (byteOrder === 'BE') return undefined;
      return armFloatAbi === 'soft' || armFloatAbi === 'softfp' ? byDebian('armel') : byDebian('armhf');
    case 'riscv64':
      return byDebian('riscv64');
    case 'ppc64':
      return byteOrder === 'LE' ? byDebian('ppc64el') : byDebian('ppc64');
    case 's390x':
      return byDebian('s390x');
    case 'loong64':
      return byDebian('loong64');
    case 'mips64el':
      return byDebian('mips64el');
    default:
      return undefined;
  }
}

/** The row of the machine kpkg runs on (process.arch). */
export function hostArch(): ArchInfo {
  const variables: Readonly<Record<string, unknown>> = process.config.variables;
  const floatAbi = variables['arm_float_abi'];
  const arch = archForNode(process.arch, endianness(), typeof floatAbi === 'string' ? floatAbi : undefined);
  if (arch === undefined) {
    throw new KpkgError(`kpkg does not know the architecture it is running on (Node.js process.arch '${process.arch}', ${endianness()})`);
  }
  return arch;
}
