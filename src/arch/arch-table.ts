/**
 * The architectures kpkg packages for: one row each, holding every fact kpkg needs about it and
 * every name it goes by (Debian, kernel ARCH and SRCARCH, RPM, pacman, GNU triplet, Debian
 * multiarch directory, uname -m, Node's process.arch, qemu's). Nothing outside src/arch/ maps
 * architecture names; docs/recipes/add-a-target-architecture.md says how to add a row, and
 * arch-table.test.ts checks that every row is complete.
 *
 * Facts here were checked against: the kernel's arch/<srcarch>/Makefile and
 * scripts/package/builddeb (6.1 and 6.12), clang's driver (`clang --target=<triplet> -###` prints
 * the dynamic linker glibc expects), the cross compilers' output (arch-table.slow.test.ts in
 * src/kernel/), rpm 4.18's rpmrc (arch_canon) and platform macros (__isa_name, __isa_bits).
 */
import {
  EM_386,
  EM_AARCH64,
  EM_ARM,
  EM_LOONGARCH,
  EM_MIPS,
  EM_PPC64,
  EM_RISCV,
  EM_S390,
  EM_X86_64,
} from '../elf/elf.js';
import { sameIdentity } from '../elf/identity.js';
import type { ElfIdentity } from '../elf/identity.js';

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

/** A KBUILD_IMAGE other than the default one, built when every condition holds. */
export interface BootImageVariant {
  when: readonly KconfigCondition[];
  /** File name in arch/<srcarch>/boot. */
  image: string;
}

/** rpm's names for an architecture (rpmrc's arch_canon, the platform's __isa_name-__isa_bits). */
export interface RpmArch {
  /** The header's ARCH and the file name's arch: 'x86_64', 'aarch64', 'noarch'… */
  name: string;
  /** arch_canon number, written in the lead; 0 for noarch, which has none. */
  archnum: number;
  /** "(aarch-64)"-style suffix of the implicit "name(isa) = evr" provide; undefined for noarch. */
  isa?: string;
}

/** How qemu-system boots a kernel of this architecture (TCG), as proven by a boot. */
export interface QemuSystem {
  /** e.g. qemu-system-aarch64. */
  binary: string;
  /** -M, -cpu and firmware arguments, before the common -m/-kernel/-initrd/-append ones. */
  machineArgs: readonly string[];
  /** The console= the kernel writes to. */
  console: string;
  /**
   * What -kernel takes: the installed boot image as it is, or that image decompressed first
   * (qemu's riscv loader reads only a raw Image or an ELF; a board's bootloader may differ).
   */
  kernelFile: 'as-installed' | 'decompressed';
  /** The console driver's options: without them the kernel boots silently (checked before a boot). */
  consoleKconfig: readonly string[];
  /**
   * What else a tinyconfig kernel needs on this machine to run the target's Debian binaries
   * (an MMU, the platform, the FPU the ABI assumes); tools/kernel-tree adds these to every tree.
   */
  kconfig: readonly string[];
}

/**
 * What every kernel needs to reach an initramfs /init and report (TTY and PRINTK are prompts that
 * tinyconfig's EXPERT turns off; the init is a busybox script, so BINFMT_SCRIPT as well as ELF).
 */
export const BOOT_KCONFIG = [
  'TTY',
  'PRINTK',
  'BLK_DEV_INITRD',
  'DEVTMPFS',
  'DEVTMPFS_MOUNT',
  'BINFMT_ELF',
  'BINFMT_SCRIPT',
  'PROC_FS',
  'SYSFS',
] as const;

/** Debian releases in order; a row's firstDebianRelease is where it entered the archive. */
export const DEBIAN_RELEASES = ['buster', 'bullseye', 'bookworm', 'trixie', 'forky', 'sid'] as const;
export type DebianRelease = (typeof DEBIAN_RELEASES)[number];

/** The families whose packages name the architecture in a way of their own. */
export type NamingFamily = 'rpm' | 'pacman';

export interface ArchInfo {
  /** Canonical id: Debian architecture name; also the deb family's and the tar family's name. */
  debian: string;
  /** What you pass as ARCH=. */
  kernelArch: string;
  /** The arch/ directory (the kernel's SRCARCH). */
  srcArch: string;
  /**
   * The symbol arch/<srcArch>/Kconfig defines as y ("config ARM64 def_bool y", "config X86" for
   * both 32- and 64-bit x86, "config PPC" ...): what a configuration alone says about SRCARCH.
   * Rows sharing srcArch share it.
   */
  srcArchSymbol: string;
  /**
   * Kconfig symbols (from include/config/auto.conf / .config) that pick this row among rows
   * sharing srcArch; archForKernelConfig takes the first row, in table order, whose conditions hold.
   */
  kconfig: readonly KconfigCondition[];
  elf: ElfIdentity;
  /** PT_INTERP of glibc programs for this architecture. */
  dynamicLoader: string;
  /** GNU triplet of Debian's cross toolchain (DEB_HOST_GNU_TYPE). */
  gnuTriplet: string;
  /** Debian multiarch directory (DEB_HOST_MULTIARCH): /usr/lib/<multiarch>. */
  multiarch: string;
  /** The usual CROSS_COMPILE: `${gnuTriplet}-`. */
  crossPrefix: string;
  /** Image of a default configuration; bootImageForConfig refines it for a given .config. */
  bootImage: BootImage;
  /** Other KBUILD_IMAGE values of arch/<srcArch>/Makefile, the first whose conditions hold winning. */
  bootImageVariants: readonly BootImageVariant[];
  /** Install path template with the literal RELEASE_PLACEHOLDER; see bootInstallPathFor. */
  bootInstallPath: string;
  /** rpm's names; absent only where notPackaged.rpm says why. */
  rpm?: RpmArch;
  /** pacman's CARCH (Arch Linux or one of its ports); absent only where notPackaged.pacman says why. */
  pacman?: string;
  /** Families kpkg refuses to package this architecture for, each with the reason (requireFamilyArch). */
  notPackaged?: Partial<Record<NamingFamily, string>>;
  /** qemu-user's CPU name: qemu-<cpu>-static and /usr/lib/binfmt.d/qemu-<cpu>.conf. */
  qemuUser: string;
  /** The qemu-system machine that boots the packaged kernel; absent where none was proven yet. */
  qemuSystem?: QemuSystem;
  /** Node.js process.arch on this architecture (rows sharing it differ in byte order or float ABI). */
  nodeArch: string;
  /** Debian names of other rows whose binaries this machine runs without emulation. */
  alsoRuns?: readonly string[];
  /** The first Debian release with this architecture; absent: every release in DEBIAN_RELEASES. */
  firstDebianRelease?: DebianRelease;
  /** Ubuntu serves amd64 and i386 from its main archive and every other architecture from ports. */
  ubuntuArchive: 'archive' | 'ports';
  /** More names findArch accepts: uname -m values, Node's process.arch, Fedora basearch. */
  aliases: readonly string[];
}

/** Architecture-independent packages (Debian's Architecture: all) in each family's words. */
export const ANY_ARCH = {
  debian: 'all',
  rpm: { name: 'noarch', archnum: 0 } satisfies RpmArch,
  pacman: 'any',
} as const;

export const RELEASE_PLACEHOLDER = '<release>';

const on = (symbol: string): KconfigCondition => ({ symbol, enabled: true });
const off = (symbol: string): KconfigCondition => ({ symbol, enabled: false });

const VMLINUZ = `/boot/vmlinuz-${RELEASE_PLACEHOLDER}`;
/** scripts/package/builddeb installs the image as /boot/vmlinux-* for SRCARCH mips, powerpc, parisc. */
const VMLINUX = `/boot/vmlinux-${RELEASE_PLACEHOLDER}`;

const X86_BZIMAGE: BootImage = { makeTarget: 'bzImage', builtPath: 'arch/x86/boot/bzImage', installName: 'vmlinuz' };
/** arch/arm/Makefile: KBUILD_IMAGE is zImage (xipImage for XIP kernels). */
const ARM_ZIMAGE: BootImage = { makeTarget: 'zImage', builtPath: 'arch/arm/boot/zImage', installName: 'vmlinuz' };
const ARM_VARIANTS: readonly BootImageVariant[] = [{ when: [on('CONFIG_XIP_KERNEL')], image: 'xipImage' }];
/** arch/powerpc/Makefile sets no KBUILD_IMAGE, so packaging falls back to the top-level vmlinux. */
const PPC_VMLINUX: BootImage = { makeTarget: 'vmlinux', builtPath: 'vmlinux', installName: 'vmlinux' };

/** arch/riscv/Makefile (6.12; older trees have no choice and always build Image.gz). */
const RISCV_COMPRESSED: readonly (readonly [symbol: string, image: string])[] = [
  ['CONFIG_KERNEL_BZIP2', 'Image.bz2'],
  ['CONFIG_KERNEL_GZIP', 'Image.gz'],
  ['CONFIG_KERNEL_LZ4', 'Image.lz4'],
  ['CONFIG_KERNEL_LZMA', 'Image.lzma'],
  ['CONFIG_KERNEL_LZO', 'Image.lzo'],
  ['CONFIG_KERNEL_ZSTD', 'Image.zst'],
  ['CONFIG_KERNEL_XZ', 'Image.xz'],
  ['CONFIG_KERNEL_UNCOMPRESSED', 'Image'],
];

/**
 * Table order matters where rows share srcArch: archForKernelConfig takes the first match, so
 * armhf (stricter conditions) comes before armel.
 */
export const ARCHES: readonly ArchInfo[] = [
  {
    debian: 'amd64',
    kernelArch: 'x86_64',
    srcArch: 'x86',
    srcArchSymbol: 'CONFIG_X86',
    kconfig: [on('CONFIG_64BIT')],
    elf: { machine: EM_X86_64, class: 64, endian: 'little' },
    dynamicLoader: '/lib64/ld-linux-x86-64.so.2',
    gnuTriplet: 'x86_64-linux-gnu',
    multiarch: 'x86_64-linux-gnu',
    crossPrefix: 'x86_64-linux-gnu-',
    bootImage: X86_BZIMAGE,
    bootImageVariants: [],
    bootInstallPath: VMLINUZ,
    rpm: { name: 'x86_64', archnum: 1, isa: 'x86-64' },
    pacman: 'x86_64',
    qemuUser: 'x86_64',
    nodeArch: 'x64',
    // An x86-64 kernel runs 32-bit x86 programs (IA32_EMULATION, on in Debian's kernels).
    alsoRuns: ['i386'],
    ubuntuArchive: 'archive',
    aliases: ['x64', 'x86-64'],
  },
  {
    debian: 'i386',
    kernelArch: 'i386',
    srcArch: 'x86',
    srcArchSymbol: 'CONFIG_X86',
    kconfig: [off('CONFIG_64BIT')],
    elf: { machine: EM_386, class: 32, endian: 'little' },
    dynamicLoader: '/lib/ld-linux.so.2',
    // Debian's toolchain is i686-linux-gnu, but its multiarch directory keeps the old i386 name.
    gnuTriplet: 'i686-linux-gnu',
    multiarch: 'i386-linux-gnu',
    crossPrefix: 'i686-linux-gnu-',
    bootImage: X86_BZIMAGE,
    bootImageVariants: [],
    bootInstallPath: VMLINUZ,
    // rpmrc's buildarchtranslate says i386, but Fedora's and openSUSE's 32-bit packages are i686.
    rpm: { name: 'i686', archnum: 1, isa: 'x86-32' },
    // Arch Linux 32, an unofficial port.
    pacman: 'i686',
    qemuUser: 'i386',
    qemuSystem: {
      binary: 'qemu-system-i386',
      machineArgs: ['-M', 'pc'],
      console: 'ttyS0',
      kernelFile: 'as-installed',
      consoleKconfig: ['SERIAL_8250', 'SERIAL_8250_CONSOLE'],
      kconfig: [],
    },
    nodeArch: 'ia32',
    ubuntuArchive: 'archive',
    aliases: ['ia32', 'i486', 'i586'],
  },
  {
    debian: 'arm64',
    kernelArch: 'arm64',
    srcArch: 'arm64',
    srcArchSymbol: 'CONFIG_ARM64',
    kconfig: [off('CONFIG_CPU_BIG_ENDIAN')],
    elf: { machine: EM_AARCH64, class: 64, endian: 'little' },
    dynamicLoader: '/lib/ld-linux-aarch64.so.1',
    gnuTriplet: 'aarch64-linux-gnu',
    multiarch: 'aarch64-linux-gnu',
    crossPrefix: 'aarch64-linux-gnu-',
    // KBUILD_IMAGE (what `make image_name` prints and builddeb copies) is Image.gz, not Image;
    // vmlinuz.efi with CONFIG_EFI_ZBOOT.
    bootImage: { makeTarget: 'Image.gz', builtPath: 'arch/arm64/boot/Image.gz', installName: 'vmlinuz' },
    bootImageVariants: [{ when: [on('CONFIG_EFI_ZBOOT')], image: 'vmlinuz.efi' }],
    bootInstallPath: VMLINUZ,
    rpm: { name: 'aarch64', archnum: 19, isa: 'aarch-64' },
    // Arch Linux ARM.
    pacman: 'aarch64',
    qemuUser: 'aarch64',
    // qemu's arm64 loader takes the gzip-compressed Image as it is.
    qemuSystem: {
      binary: 'qemu-system-aarch64',
      machineArgs: ['-M', 'virt', '-cpu', 'max,pauth-impdef=on'],
      console: 'ttyAMA0',
      kernelFile: 'as-installed',
      consoleKconfig: ['SERIAL_AMBA_PL011', 'SERIAL_AMBA_PL011_CONSOLE'],
      kconfig: [],
    },
    nodeArch: 'arm64',
    ubuntuArchive: 'ports',
    aliases: [],
  },
  {
    debian: 'armhf',
    kernelArch: 'arm',
    srcArch: 'arm',
    srcArchSymbol: 'CONFIG_ARM',
    // Kconfig cannot tell armhf from armel: the float ABI is a userspace choice. armhf userspace
    // needs an ARMv7 kernel (CONFIG_CPU_32v7) that saves VFP state (CONFIG_VFP); such kernels
    // run armel userspace too, and armhf is the default for them. Without either, only armel works.
    kconfig: [on('CONFIG_AEABI'), on('CONFIG_CPU_32v7'), on('CONFIG_VFP'), off('CONFIG_CPU_BIG_ENDIAN')],
    elf: { machine: EM_ARM, class: 32, endian: 'little', armFloat: 'hard' },
    dynamicLoader: '/lib/ld-linux-armhf.so.3',
    gnuTriplet: 'arm-linux-gnueabihf',
    multiarch: 'arm-linux-gnueabihf',
    crossPrefix: 'arm-linux-gnueabihf-',
    bootImage: ARM_ZIMAGE,
    bootImageVariants: ARM_VARIANTS,
    bootInstallPath: VMLINUZ,
    rpm: { name: 'armv7hl', archnum: 12, isa: 'armv7hl-32' },
    // Arch Linux ARM.
    pacman: 'armv7h',
    qemuUser: 'arm',
    // zImage decompresses itself.
    qemuSystem: {
      binary: 'qemu-system-arm',
      machineArgs: ['-M', 'virt,highmem=off', '-cpu', 'cortex-a15'],
      console: 'ttyAMA0',
      kernelFile: 'as-installed',
      consoleKconfig: ['SERIAL_AMBA_PL011', 'SERIAL_AMBA_PL011_CONSOLE'],
      // tinyconfig on arm is a no-MMU kernel with no ARMv7 platform; Debian armhf assumes VFP.
      kconfig: ['MMU', 'ARCH_MULTI_V7', 'AEABI', 'VFP', 'ARCH_VIRT'],
    },
    nodeArch: 'arm',
    ubuntuArchive: 'ports',
    aliases: ['armv7l', 'armhfp'],
  },
  {
    debian: 'armel',
    kernelArch: 'arm',
    srcArch: 'arm',
    srcArchSymbol: 'CONFIG_ARM',
    // Debian armel is EABI; an OABI-only kernel cannot run it.
    kconfig: [on('CONFIG_AEABI'), off('CONFIG_CPU_BIG_ENDIAN')],
    elf: { machine: EM_ARM, class: 32, endian: 'little', armFloat: 'soft' },
    dynamicLoader: '/lib/ld-linux.so.3',
    gnuTriplet: 'arm-linux-gnueabi',
    multiarch: 'arm-linux-gnueabi',
    crossPrefix: 'arm-linux-gnueabi-',
    bootImage: ARM_ZIMAGE,
    bootImageVariants: ARM_VARIANTS,
    bootInstallPath: VMLINUZ,
    // rpmrc: arch_canon armv5tel 12 (every 32-bit ARM shares 12); platform armv5tel: isa armv5tel-32.
    rpm: { name: 'armv5tel', archnum: 12, isa: 'armv5tel-32' },
    // Arch Linux ARM's ARMv5 port, discontinued in 2022. findArch('arm') still returns
    // undefined: 'arm' is first of all the kernel ARCH of both armhf and armel.
    pacman: 'arm',
    qemuUser: 'arm',
    nodeArch: 'arm',
    ubuntuArchive: 'ports',
    aliases: ['armv5tejl'],
  },
  {
    debian: 'riscv64',
    kernelArch: 'riscv',
    srcArch: 'riscv',
    srcArchSymbol: 'CONFIG_RISCV',
    kconfig: [on('CONFIG_64BIT')],
    elf: { machine: EM_RISCV, class: 64, endian: 'little' },
    dynamicLoader: '/lib/ld-linux-riscv64-lp64d.so.1',
    gnuTriplet: 'riscv64-linux-gnu',
    multiarch: 'riscv64-linux-gnu',
    crossPrefix: 'riscv64-linux-gnu-',
    // Default KBUILD_IMAGE is Image.gz (6.12 via the default CONFIG_KERNEL_GZIP).
    bootImage: { makeTarget: 'Image.gz', builtPath: 'arch/riscv/boot/Image.gz', installName: 'vmlinuz' },
    // arch/riscv/Makefile: XIP wins, then EFI zboot, then the K210 M-mode loader, then the compression.
    bootImageVariants: [
      { when: [on('CONFIG_XIP_KERNEL')], image: 'xipImage' },
      { when: [on('CONFIG_EFI_ZBOOT')], image: 'vmlinuz.efi' },
      { when: [on('CONFIG_RISCV_M_MODE'), on('CONFIG_SOC_CANAAN_K210')], image: 'loader.bin' },
      ...RISCV_COMPRESSED.map(([symbol, image]) => ({ when: [on(symbol)], image })),
    ],
    bootInstallPath: VMLINUZ,
    rpm: { name: 'riscv64', archnum: 22, isa: 'riscv-64' },
    // Arch Linux RISC-V port.
    pacman: 'riscv64',
    qemuUser: 'riscv64',
    // -bios default: OpenSBI's fw_dynamic from qemu-system-data.
    qemuSystem: {
      binary: 'qemu-system-riscv64',
      machineArgs: ['-M', 'virt', '-bios', 'default'],
      console: 'ttyS0',
      kernelFile: 'decompressed',
      consoleKconfig: ['SERIAL_8250', 'SERIAL_8250_CONSOLE', 'SERIAL_OF_PLATFORM'],
      // Debian's rv64gc binaries need the FPU; qemu 7.2's device tree has only riscv,isa, which
      // the kernel reads with RISCV_ISA_FALLBACK (arch/riscv/Kconfig).
      kconfig: ['MMU', 'FPU', 'RISCV_ISA_FALLBACK'],
    },
    nodeArch: 'riscv64',
    firstDebianRelease: 'trixie',
    ubuntuArchive: 'ports',
    aliases: [],
  },
  {
    debian: 'ppc64el',
    kernelArch: 'powerpc',
    srcArch: 'powerpc',
    srcArchSymbol: 'CONFIG_PPC',
    kconfig: [on('CONFIG_PPC64'), on('CONFIG_CPU_LITTLE_ENDIAN')],
    elf: { machine: EM_PPC64, class: 64, endian: 'little' },
    // ELFv2 ABI loader.
    dynamicLoader: '/lib64/ld64.so.2',
    gnuTriplet: 'powerpc64le-linux-gnu',
    multiarch: 'powerpc64le-linux-gnu',
    crossPrefix: 'powerpc64le-linux-gnu-',
    bootImage: PPC_VMLINUX,
    bootImageVariants: [],
    bootInstallPath: VMLINUX,
    rpm: { name: 'ppc64le', archnum: 16, isa: 'ppc-64' },
    // Arch POWER, an unofficial port.
    pacman: 'powerpc64le',
    qemuUser: 'ppc64le',
    // SLOF, the pseries firmware, loads the ELF vmlinux.
    qemuSystem: {
      binary: 'qemu-system-ppc64',
      machineArgs: ['-M', 'pseries', '-cpu', 'POWER9'],
      console: 'hvc0',
      kernelFile: 'as-installed',
      consoleKconfig: ['HVC_CONSOLE'],
      // SLOF enters through the prom_init trampoline; Debian ppc64el assumes POWER8's VSX.
      kconfig: ['PPC64', 'CPU_LITTLE_ENDIAN', 'PPC_PSERIES', 'PPC_OF_BOOT_TRAMPOLINE', 'ALTIVEC', 'VSX'],
    },
    nodeArch: 'ppc64',
    ubuntuArchive: 'ports',
    aliases: [],
  },
  {
    debian: 'ppc64',
    kernelArch: 'powerpc',
    srcArch: 'powerpc',
    srcArchSymbol: 'CONFIG_PPC',
    kconfig: [on('CONFIG_PPC64'), off('CONFIG_CPU_LITTLE_ENDIAN')],
    elf: { machine: EM_PPC64, class: 64, endian: 'big' },
    // Debian ppc64 (a ports architecture) is ELFv1, whose loader is ld64.so.1, not ppc64el's .so.2.
    dynamicLoader: '/lib64/ld64.so.1',
    gnuTriplet: 'powerpc64-linux-gnu',
    multiarch: 'powerpc64-linux-gnu',
    crossPrefix: 'powerpc64-linux-gnu-',
    bootImage: PPC_VMLINUX,
    bootImageVariants: [],
    bootInstallPath: VMLINUX,
    // rpmrc: arch_canon ppc64 16; rpm 4.18 marks its 64-bit sonames "()(64bit)" like kpkg does.
    rpm: { name: 'ppc64', archnum: 16, isa: 'ppc-64' },
    // Arch POWER, an unofficial port.
    pacman: 'powerpc64',
    qemuUser: 'ppc64',
    nodeArch: 'ppc64',
    // No Debian release has ppc64: it is a debian-ports architecture (sid, not on deb.debian.org),
    // so fetching its packages needs --mirror and --target-suite sid.
    ubuntuArchive: 'ports',
    aliases: [],
  },
  {
    debian: 's390x',
    kernelArch: 's390',
    srcArch: 's390',
    srcArchSymbol: 'CONFIG_S390',
    kconfig: [on('CONFIG_64BIT')],
    elf: { machine: EM_S390, class: 64, endian: 'big' },
    // In /lib, not /lib64, unlike most 64-bit loaders.
    dynamicLoader: '/lib/ld64.so.1',
    gnuTriplet: 's390x-linux-gnu',
    multiarch: 's390x-linux-gnu',
    crossPrefix: 's390x-linux-gnu-',
    bootImage: { makeTarget: 'bzImage', builtPath: 'arch/s390/boot/bzImage', installName: 'vmlinuz' },
    bootImageVariants: [],
    bootInstallPath: VMLINUZ,
    rpm: { name: 's390x', archnum: 15, isa: 's390-64' },
    // No Arch Linux port exists; this is the uname -m name.
    pacman: 's390x',
    qemuUser: 's390x',
    qemuSystem: {
      binary: 'qemu-system-s390x',
      machineArgs: ['-M', 's390-ccw-virtio'],
      console: 'ttysclp0',
      kernelFile: 'as-installed',
      consoleKconfig: ['SCLP_TTY', 'SCLP_CONSOLE', 'SCLP_VT220_TTY', 'SCLP_VT220_CONSOLE'],
      kconfig: [],
    },
    nodeArch: 's390x',
    ubuntuArchive: 'ports',
    aliases: [],
  },
  {
    debian: 'loong64',
    kernelArch: 'loongarch',
    srcArch: 'loongarch',
    srcArchSymbol: 'CONFIG_LOONGARCH',
    kconfig: [on('CONFIG_64BIT')],
    elf: { machine: EM_LOONGARCH, class: 64, endian: 'little' },
    dynamicLoader: '/lib64/ld-linux-loongarch-lp64d.so.1',
    gnuTriplet: 'loongarch64-linux-gnu',
    multiarch: 'loongarch64-linux-gnu',
    crossPrefix: 'loongarch64-linux-gnu-',
    // CONFIG_EFI_STUB defaults to y: vmlinux.efi (vmlinuz.efi with EFI_ZBOOT, vmlinux.elf without the stub).
    bootImage: { makeTarget: 'vmlinux.efi', builtPath: 'arch/loongarch/boot/vmlinux.efi', installName: 'vmlinuz' },
    bootImageVariants: [
      { when: [off('CONFIG_EFI_STUB')], image: 'vmlinux.elf' },
      { when: [on('CONFIG_EFI_ZBOOT')], image: 'vmlinuz.efi' },
    ],
    bootInstallPath: VMLINUZ,
    // rpm 4.18's platform file says __isa_name loongarch64; the value written here is kept as kpkg
    // has always written it.
    rpm: { name: 'loongarch64', archnum: 23, isa: 'loongarch-64' },
    // Loong Arch Linux, an unofficial port.
    pacman: 'loong64',
    qemuUser: 'loongarch64',
    nodeArch: 'loong64',
    firstDebianRelease: 'sid',
    ubuntuArchive: 'ports',
    aliases: [],
  },
  {
    debian: 'mips64el',
    kernelArch: 'mips',
    srcArch: 'mips',
    srcArchSymbol: 'CONFIG_MIPS',
    kconfig: [on('CONFIG_64BIT'), on('CONFIG_CPU_LITTLE_ENDIAN')],
    elf: { machine: EM_MIPS, class: 64, endian: 'little' },
    // n64 ABI loader (o32 is /lib/ld.so.1, n32 /lib32/ld.so.1).
    dynamicLoader: '/lib64/ld.so.1',
    gnuTriplet: 'mips64el-linux-gnuabi64',
    multiarch: 'mips64el-linux-gnuabi64',
    crossPrefix: 'mips64el-linux-gnuabi64-',
    // arch/mips/Makefile sets no KBUILD_IMAGE: packaging takes vmlinux, installed as /boot/vmlinux-*.
    bootImage: { makeTarget: 'vmlinux', builtPath: 'vmlinux', installName: 'vmlinux' },
    bootImageVariants: [],
    bootInstallPath: VMLINUX,
    // rpmrc: arch_canon mips64el 11; rpm 4.18 marks its n64 sonames "()(64bit)" like kpkg does.
    rpm: { name: 'mips64el', archnum: 11, isa: 'mips-64' },
    // No maintained Arch Linux port (the old Loongson one used this name).
    pacman: 'mips64el',
    qemuUser: 'mips64el',
    nodeArch: 'mips64el',
    ubuntuArchive: 'ports',
    aliases: [],
  },
];

/**
 * Debian architectures kpkg has no row for (it does not package for them) whose qemu-user CPU it
 * still knows, so that binfmt handling can name their rules. smoke refuses them (debianArchInfo).
 */
export const QEMU_ONLY_ARCHES: readonly { readonly debian: string; readonly qemuUser: string }[] = [
  { debian: 'powerpc', qemuUser: 'ppc' },
  { debian: 'mipsel', qemuUser: 'mipsel' },
  { debian: 'sparc64', qemuUser: 'sparc64' },
  { debian: 'hppa', qemuUser: 'hppa' },
  { debian: 'm68k', qemuUser: 'm68k' },
  { debian: 'alpha', qemuUser: 'alpha' },
  { debian: 'sh4', qemuUser: 'sh4' },
];

/** The row of a Debian architecture name (only that name: see findArch for the others). */
export function archByDebian(debian: string): ArchInfo | undefined {
  return ARCHES.find((a) => a.debian === debian);
}

function namesOf(arch: ArchInfo): string[] {
  const family = [arch.rpm?.name, arch.pacman].filter((name): name is string => name !== undefined);
  return [arch.debian, arch.kernelArch, arch.srcArch, ...family, arch.gnuTriplet, arch.multiarch, ...arch.aliases];
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

/** Rows whose ELF identity matches (armFloat compared when defined on both). */
export function archesForElf(id: ElfIdentity): ArchInfo[] {
  return ARCHES.filter((a) => sameIdentity(a.elf, id));
}
