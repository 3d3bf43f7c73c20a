import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { endianness } from 'node:os';
import {
  ARCHES,
  archesForElf,
  archesForKernelConfig,
  archForKernelConfig,
  archForNode,
  bootImageForConfig,
  bootInstallPathFor,
  findArch,
  hostArch,
} from './arch-table.js';
import type { ArchInfo } from './arch-table.js';
import { readElfFile } from '../elf/elf.js';
import { identityOf } from '../elf/identity.js';
import { KpkgError } from '../util/errors.js';

// The table against its written-out specification. Its agreement with the real cross toolchains
// (what they build and the loaders they pick) is checked in arch-table.slow.test.ts.

/** The specification: every field of every row, written out. */
const SPEC: readonly ArchInfo[] = [
  {
    debian: 'amd64',
    kernelArch: 'x86_64',
    srcArch: 'x86',
    rpm: 'x86_64',
    pacman: 'x86_64',
    gnuTriplet: 'x86_64-linux-gnu',
    multiarch: 'x86_64-linux-gnu',
    crossPrefix: 'x86_64-linux-gnu-',
    elf: { machine: 62, class: 64, endian: 'little' },
    dynamicLoader: '/lib64/ld-linux-x86-64.so.2',
    bootImage: { makeTarget: 'bzImage', builtPath: 'arch/x86/boot/bzImage', installName: 'vmlinuz' },
    bootInstallPath: '/boot/vmlinuz-<release>',
    kconfig: [{ symbol: 'CONFIG_64BIT', enabled: true }],
    aliases: ['x64', 'x86-64'],
  },
  {
    debian: 'i386',
    kernelArch: 'i386',
    srcArch: 'x86',
    rpm: 'i686',
    pacman: 'i686',
    gnuTriplet: 'i686-linux-gnu',
    multiarch: 'i386-linux-gnu',
    crossPrefix: 'i686-linux-gnu-',
    elf: { machine: 3, class: 32, endian: 'little' },
    dynamicLoader: '/lib/ld-linux.so.2',
    bootImage: { makeTarget: 'bzImage', builtPath: 'arch/x86/boot/bzImage', installName: 'vmlinuz' },
    bootInstallPath: '/boot/vmlinuz-<release>',
    kconfig: [{ symbol: 'CONFIG_64BIT', enabled: false }],
    aliases: ['ia32', 'i486', 'i586'],
  },
  {
    debian: 'arm64',
    kernelArch: 'arm64',
    srcArch: 'arm64',
    rpm: 'aarch64',
    pacman: 'aarch64',
    gnuTriplet: 'aarch64-linux-gnu',
    multiarch: 'aarch64-linux-gnu',
    crossPrefix: 'aarch64-linux-gnu-',
    elf: { machine: 183, class: 64, endian: 'little' },
    dynamicLoader: '/lib/ld-linux-aarch64.so.1',
    bootImage: { makeTarget: 'Image.gz', builtPath: 'arch/arm64/boot/Image.gz', installName: 'vmlinuz' },
    bootInstallPath: '/boot/vmlinuz-<release>',
    kconfig: [{ symbol: 'CONFIG_CPU_BIG_ENDIAN', enabled: false }],
    aliases: [],
  },
  {
    debian: 'armhf',
    kernelArch: 'arm',
    srcArch: 'arm',
    rpm: 'armv7hl',
    pacman: 'armv7h',
    gnuTriplet: 'arm-linux-gnueabihf',
    multiarch: 'arm-linux-gnueabihf',
    crossPrefix: 'arm-linux-gnueabihf-',
    elf: { machine: 40, class: 32, endian: 'little', armFloat: 'hard' },
    dynamicLoader: '/lib/ld-linux-armhf.so.3',
    bootImage: { makeTarget: 'zImage', builtPath: 'arch/arm/boot/zImage', installName: 'vmlinuz' },
    bootInstallPath: '/boot/vmlinuz-<release>',
    kconfig: [
      { symbol: 'CONFIG_AEABI', enabled: true },
      { symbol: 'CONFIG_CPU_32v7', enabled: true },
      { symbol: 'CONFIG_VFP', enabled: true },
      { symbol: 'CONFIG_CPU_BIG_ENDIAN', enabled: false },
    ],
    aliases: ['armv7l', 'armhfp'],
  },
  {
    debian: 'armel',
    kernelArch: 'arm',
    srcArch: 'arm',
    rpm: 'armv5tel',
    pacman: 'arm',
    gnuTriplet: 'arm-linux-gnueabi',
    multiarch: 'arm-linux-gnueabi',
    crossPrefix: 'arm-linux-gnueabi-',
    elf: { machine: 40, class: 32, endian: 'little', armFloat: 'soft' },
    dynamicLoader: '/lib/ld-linux.so.3',
    bootImage: { makeTarget: 'zImage', builtPath: 'arch/arm/boot/zImage', installName: 'vmlinuz' },
    bootInstallPath: '/boot/vmlinuz-<release>',
    kconfig: [
      { symbol: 'CONFIG_AEABI', enabled: true },
      { symbol: 'CONFIG_CPU_BIG_ENDIAN', enabled: false },
    ],
    aliases: ['armv5tejl'],
  },
  {
    debian: 'riscv64',
    kernelArch: 'riscv',
    srcArch: 'riscv',
    rpm: 'riscv64',
    pacman: 'riscv64',
    gnuTriplet: 'riscv64-linux-gnu',
    multiarch: 'riscv64-linux-gnu',
    crossPrefix: 'riscv64-linux-gnu-',
    elf: { machine: 243, class: 64, endian: 'little' },
    dynamicLoader: '/lib/ld-linux-riscv64-lp64d.so.1',
    bootImage: { makeTarget: 'Image.gz', builtPath: 'arch/riscv/boot/Image.gz', installName: 'vmlinuz' },
    bootInstallPath: '/boot/vmlinuz-<release>',
    kconfig: [{ symbol: 'CONFIG_64BIT', enabled: true }],
    aliases: [],
  },
  {
    debian: 'ppc64el',
    kernelArch: 'powerpc',
    srcArch: 'powerpc',
    rpm: 'ppc64le',
    pacman: 'powerpc64le',
    gnuTriplet: 'powerpc64le-linux-gnu',
    multiarch: 'powerpc64le-linux-gnu',
    crossPrefix: 'powerpc64le-linux-gnu-',
    elf: { machine: 21, class: 64, endian: 'little' },
    dynamicLoader: '/lib64/ld64.so.2',
    bootImage: { makeTarget: 'vmlinux', builtPath: 'vmlinux', installName: 'vmlinux' },
    bootInstallPath: '/boot/vmlinux-<release>',
    kconfig: [
      { symbol: 'CONFIG_PPC64', enabled: true },
      { symbol: 'CONFIG_CPU_LITTLE_ENDIAN', enabled: true },
    ],
    aliases: [],
  },
  {
    debian: 'ppc64',
    kernelArch: 'powerpc',
    srcArch: 'powerpc',
    rpm: 'ppc64',
    pacman: 'powerpc64',
    gnuTriplet: 'powerpc64-linux-gnu',
    multiarch: 'powerpc64-linux-gnu',
    crossPrefix: 'powerpc64-linux-gnu-',
    elf: { machine: 21, class: 64, endian: 'big' },
    dynamicLoader: '/lib64/ld64.so.1',
    bootImage: { makeTarget: 'vmlinux', builtPath: 'vmlinux', installName: 'vmlinux' },
    bootInstallPath: '/boot/vmlinux-<release>',
    kconfig: [
      { symbol: 'CONFIG_PPC64', enabled: true },
      { symbol: 'CONFIG_CPU_LITTLE_ENDIAN', enabled: false },
    ],
    aliases: [],
  },
  {
    debian: 's390x',
    kernelArch: 's390',
    srcArch: 's390',
    rpm: 's390x',
    pacman: 's390x',
    gnuTriplet: 's390x-linux-gnu',
    multiarch: 's390x-linux-gnu',
    crossPrefix: 's390x-linux-gnu-',
    elf: { machine: 22, class: 64, endian: 'big' },
    dynamicLoader: '/lib/ld64.so.1',
    bootImage: { makeTarget: 'bzImage', builtPath: 'arch/s390/boot/bzImage', installName: 'vmlinuz' },
    bootInstallPath: '/boot/vmlinuz-<release>',
    kconfig: [{ symbol: 'CONFIG_64BIT', enabled: true }],
    aliases: [],
  },
  {
    debian: 'loong64',
    kernelArch: 'loongarch',
    srcArch: 'loongarch',
    rpm: 'loongarch64',
    pacman: 'loong64',
    gnuTriplet: 'loongarch64-linux-gnu',
    multiarch: 'loongarch64-linux-gnu',
    crossPrefix: 'loongarch64-linux-gnu-',
    elf: { machine: 258, class: 64, endian: 'little' },
    dynamicLoader: '/lib64/ld-linux-loongarch-lp64d.so.1',
    bootImage: { makeTarget: 'vmlinux.efi', builtPath: 'arch/loongarch/boot/vmlinux.efi', installName: 'vmlinuz' },
    bootInstallPath: '/boot/vmlinuz-<release>',
    kconfig: [{ symbol: 'CONFIG_64BIT', enabled: true }],
    aliases: [],
  },
  {
    debian: 'mips64el',
    kernelArch: 'mips',
    srcArch: 'mips',
    rpm: 'mips64el',
    pacman: 'mips64el',
    gnuTriplet: 'mips64el-linux-gnuabi64',
    multiarch: 'mips64el-linux-gnuabi64',
    crossPrefix: 'mips64el-linux-gnuabi64-',
    elf: { machine: 8, class: 64, endian: 'little' },
    dynamicLoader: '/lib64/ld.so.1',
    bootImage: { makeTarget: 'vmlinux', builtPath: 'vmlinux', installName: 'vmlinux' },
    bootInstallPath: '/boot/vmlinux-<release>',
    kconfig: [
      { symbol: 'CONFIG_64BIT', enabled: true },
      { symbol: 'CONFIG_CPU_LITTLE_ENDIAN', enabled: true },
    ],
    aliases: [],
  },
];

function row(debian: string): ArchInfo {
  const found = ARCHES.find((a) => a.debian === debian);
  if (found === undefined) throw new Error(`no row ${debian}`);
  return found;
}

const config = (entries: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(entries));

void describe('arch table rows', () => {
  void it('has exactly the specified rows, in order', () => {
    assert.deepEqual(
      ARCHES.map((a) => a.debian),
      SPEC.map((a) => a.debian),
    );
  });

  for (const expected of SPEC) {
    void it(`row ${expected.debian}: every field`, () => {
      assert.deepEqual(row(expected.debian), expected);
    });
  }

  void it('crossPrefix is the GNU triplet plus a dash everywhere', () => {
    for (const a of ARCHES) assert.equal(a.crossPrefix, `${a.gnuTriplet}-`);
  });
});

void describe('findArch', () => {
  const cases: readonly (readonly [string, string])[] = [
    // Debian
    ['amd64', 'amd64'],
    ['ppc64el', 'ppc64el'],
    ['armel', 'armel'],
    ['loong64', 'loong64'],
    // kernel ARCH / SRCARCH where it names one row
    ['x86_64', 'amd64'],
    ['i386', 'i386'],
    ['riscv', 'riscv64'],
    ['s390', 's390x'],
    ['loongarch', 'loong64'],
    ['mips', 'mips64el'],
    // RPM
    ['aarch64', 'arm64'],
    ['ppc64le', 'ppc64el'],
    ['armv7hl', 'armhf'],
    ['armv5tel', 'armel'],
    ['i686', 'i386'],
    ['loongarch64', 'loong64'],
    // pacman
    ['armv7h', 'armhf'],
    ['powerpc64le', 'ppc64el'],
    ['powerpc64', 'ppc64'],
    // GNU triplets, multiarch, cross prefixes, vendor forms
    ['aarch64-linux-gnu', 'arm64'],
    ['arm-linux-gnueabihf', 'armhf'],
    ['arm-linux-gnueabi', 'armel'],
    ['i686-linux-gnu', 'i386'],
    ['i386-linux-gnu', 'i386'],
    ['mips64el-linux-gnuabi64', 'mips64el'],
    ['powerpc64le-linux-gnu-', 'ppc64el'],
    ['x86_64-pc-linux-gnu', 'amd64'],
    ['riscv64-unknown-linux-gnu', 'riscv64'],
    ['aarch64-unknown-linux-gnu-', 'arm64'],
    // uname -m, Node process.arch, Fedora basearch
    ['armv7l', 'armhf'],
    ['ppc64', 'ppc64'],
    ['x64', 'amd64'],
    ['ia32', 'i386'],
    ['armhfp', 'armhf'],
    // case and whitespace
    ['AMD64', 'amd64'],
    ['AArch64', 'arm64'],
    [' arm64 ', 'arm64'],
  ];
  for (const [name, debian] of cases) {
    void it(`'${name}' is ${debian}`, () => {
      assert.equal(findArch(name)?.debian, debian);
    });
  }

  void it('every row is found by each of its own names', () => {
    for (const a of ARCHES) {
      for (const name of [a.debian, a.rpm, a.gnuTriplet, a.multiarch, a.crossPrefix, ...a.aliases]) {
        assert.equal(findArch(name), a, `${name} -> ${a.debian}`);
      }
    }
  });

  void it('returns undefined for names that cover two rows, and for unknown names', () => {
    for (const name of ['x86', 'arm', 'powerpc', 'sparc64', 'mips64', 'ppc', '', '   ', 'arm64-linux-gnu-gnu']) {
      assert.equal(findArch(name), undefined, name);
    }
  });
});

void describe('archForKernelConfig', () => {
  void it('powerpc: little- and big-endian 64-bit', () => {
    assert.equal(archForKernelConfig('powerpc', config({ CONFIG_PPC64: 'y', CONFIG_CPU_LITTLE_ENDIAN: 'y' })).debian, 'ppc64el');
    assert.equal(archForKernelConfig('powerpc', config({ CONFIG_PPC64: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' })).debian, 'ppc64');
  });

  void it('powerpc 32-bit is refused, naming the symbols', () => {
    assert.throws(
      () => archForKernelConfig('powerpc', config({ CONFIG_PPC32: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' })),
      (e: unknown) => e instanceof KpkgError && /CONFIG_PPC64=y/.test(e.message) && /CONFIG_PPC64 not set/.test(e.message),
    );
  });

  void it('x86: 64- and 32-bit, by SRCARCH or ARCH', () => {
    assert.equal(archForKernelConfig('x86', config({ CONFIG_64BIT: 'y', CONFIG_X86_64: 'y' })).debian, 'amd64');
    assert.equal(archForKernelConfig('x86_64', config({ CONFIG_64BIT: 'y' })).debian, 'amd64');
    assert.equal(archForKernelConfig('x86', config({ CONFIG_X86_32: 'y' })).debian, 'i386');
    assert.equal(archForKernelConfig('i386', config({ CONFIG_64BIT: 'n' })).debian, 'i386');
  });

  void it('arm: ARMv7 with VFP is armhf, other EABI kernels armel, OABI and big-endian refused', () => {
    const v7 = { CONFIG_AEABI: 'y', CONFIG_CPU_32v7: 'y', CONFIG_VFP: 'y' };
    assert.equal(archForKernelConfig('arm', config(v7)).debian, 'armhf');
    assert.equal(archForKernelConfig('arm', config({ CONFIG_AEABI: 'y', CONFIG_CPU_32v5: 'y', CONFIG_VFP: 'y' })).debian, 'armel');
    assert.equal(archForKernelConfig('arm', config({ CONFIG_AEABI: 'y', CONFIG_CPU_32v7: 'y' })).debian, 'armel');
    assert.throws(() => archForKernelConfig('arm', config({ CONFIG_CPU_32v5: 'y' })), /CONFIG_AEABI/);
    assert.throws(() => archForKernelConfig('arm', config({ ...v7, CONFIG_CPU_BIG_ENDIAN: 'y' })), /CONFIG_CPU_BIG_ENDIAN=y/);
  });

  void it('the single-row arches', () => {
    assert.equal(archForKernelConfig('arm64', config({ CONFIG_CPU_LITTLE_ENDIAN: 'y' })).debian, 'arm64');
    assert.equal(archForKernelConfig('riscv', config({ CONFIG_64BIT: 'y' })).debian, 'riscv64');
    assert.equal(archForKernelConfig('s390', config({ CONFIG_64BIT: 'y' })).debian, 's390x');
    assert.equal(archForKernelConfig('loongarch', config({ CONFIG_64BIT: 'y' })).debian, 'loong64');
    assert.equal(archForKernelConfig('mips', config({ CONFIG_64BIT: 'y', CONFIG_CPU_LITTLE_ENDIAN: 'y' })).debian, 'mips64el');
    assert.throws(() => archForKernelConfig('arm64', config({ CONFIG_CPU_BIG_ENDIAN: 'y' })), KpkgError);
    assert.throws(() => archForKernelConfig('riscv', config({ CONFIG_32BIT: 'y' })), /CONFIG_64BIT/);
    assert.throws(() => archForKernelConfig('mips', config({ CONFIG_64BIT: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' })), /CONFIG_CPU_LITTLE_ENDIAN/);
  });

  void it('an unsupported ARCH is a KpkgError with a hint', () => {
    assert.throws(
      () => archForKernelConfig('sparc', config({ CONFIG_64BIT: 'y' })),
      (e: unknown) => e instanceof KpkgError && /sparc/.test(e.message) && e.hint !== undefined && /powerpc/.test(e.hint),
    );
    // Debian names are not kernel ARCH values.
    assert.throws(() => archForKernelConfig('amd64', config({ CONFIG_64BIT: 'y' })), KpkgError);
  });
});

void describe('archesForKernelConfig: the machine from a configuration alone', () => {
  void it('the architecture symbol picks SRCARCH, the rows\' conditions the machine', () => {
    const debian = (values: Record<string, string>): string[] | undefined => archesForKernelConfig(config(values))?.arches.map((a) => a.debian);
    assert.deepEqual(debian({ CONFIG_ARM64: 'y' }), ['arm64']);
    assert.deepEqual(debian({ CONFIG_X86: 'y', CONFIG_X86_64: 'y', CONFIG_64BIT: 'y' }), ['amd64']);
    assert.deepEqual(debian({ CONFIG_X86: 'y', CONFIG_X86_32: 'y' }), ['i386']);
    assert.deepEqual(debian({ CONFIG_PPC: 'y', CONFIG_PPC64: 'y', CONFIG_CPU_LITTLE_ENDIAN: 'y' }), ['ppc64el']);
    assert.deepEqual(debian({ CONFIG_PPC: 'y', CONFIG_PPC64: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' }), ['ppc64']);
    assert.deepEqual(debian({ CONFIG_S390: 'y', CONFIG_64BIT: 'y' }), ['s390x']);
    assert.deepEqual(debian({ CONFIG_RISCV: 'y', CONFIG_64BIT: 'y' }), ['riscv64']);
    assert.deepEqual(debian({ CONFIG_LOONGARCH: 'y', CONFIG_64BIT: 'y' }), ['loong64']);
    assert.deepEqual(debian({ CONFIG_MIPS: 'y', CONFIG_64BIT: 'y', CONFIG_CPU_LITTLE_ENDIAN: 'y' }), ['mips64el']);
    // Kconfig cannot tell the float ABI: an ARMv7 VFP kernel runs both userlands.
    assert.deepEqual(debian({ CONFIG_ARM: 'y', CONFIG_AEABI: 'y', CONFIG_CPU_32v7: 'y', CONFIG_VFP: 'y' }), ['armhf', 'armel']);
    assert.deepEqual(debian({ CONFIG_ARM: 'y', CONFIG_AEABI: 'y', CONFIG_CPU_32v5: 'y' }), ['armel']);
    assert.equal(debian({ CONFIG_SPARC: 'y', CONFIG_64BIT: 'y' }), undefined);
    assert.equal(debian({ CONFIG_MODULES: 'y' }), undefined);
  });

  void it('says which symbols decided, and why none of the rows fits', () => {
    assert.equal(archesForKernelConfig(config({ CONFIG_X86: 'y', CONFIG_64BIT: 'y' }))?.evidence, 'CONFIG_X86=y, CONFIG_64BIT=y');
    const bigEndian = archesForKernelConfig(config({ CONFIG_ARM64: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' }));
    assert.deepEqual(bigEndian?.arches, []);
    assert.equal(bigEndian?.srcArch, 'arm64');
    assert.equal(bigEndian?.evidence, 'CONFIG_ARM64=y; arm64 needs CONFIG_CPU_BIG_ENDIAN not set; the tree has CONFIG_CPU_BIG_ENDIAN=y');
  });
});

void describe('boot images', () => {
  void it('install paths', () => {
    assert.equal(bootInstallPathFor(row('arm64'), '6.12.9-kpkg'), '/boot/vmlinuz-6.12.9-kpkg');
    assert.equal(bootInstallPathFor(row('ppc64el'), '6.1.0'), '/boot/vmlinux-6.1.0');
  });

  void it('follow KBUILD_IMAGE of the configuration', () => {
    const image = (debian: string, entries: Record<string, string>): string => bootImageForConfig(row(debian), config(entries)).builtPath;
    assert.equal(image('arm64', {}), 'arch/arm64/boot/Image.gz');
    assert.equal(image('arm64', { CONFIG_EFI_ZBOOT: 'y' }), 'arch/arm64/boot/vmlinuz.efi');
    assert.equal(image('armhf', { CONFIG_XIP_KERNEL: 'y' }), 'arch/arm/boot/xipImage');
    assert.equal(image('riscv64', {}), 'arch/riscv/boot/Image.gz');
    assert.equal(image('riscv64', { CONFIG_KERNEL_GZIP: 'y' }), 'arch/riscv/boot/Image.gz');
    assert.equal(image('riscv64', { CONFIG_KERNEL_ZSTD: 'y' }), 'arch/riscv/boot/Image.zst');
    assert.equal(image('riscv64', { CONFIG_KERNEL_UNCOMPRESSED: 'y' }), 'arch/riscv/boot/Image');
    assert.equal(image('riscv64', { CONFIG_KERNEL_GZIP: 'y', CONFIG_EFI_ZBOOT: 'y' }), 'arch/riscv/boot/vmlinuz.efi');
    assert.equal(image('riscv64', { CONFIG_XIP_KERNEL: 'y' }), 'arch/riscv/boot/xipImage');
    assert.equal(image('riscv64', { CONFIG_RISCV_M_MODE: 'y', CONFIG_SOC_CANAAN_K210: 'y' }), 'arch/riscv/boot/loader.bin');
    assert.equal(image('loong64', { CONFIG_EFI_STUB: 'y' }), 'arch/loongarch/boot/vmlinux.efi');
    assert.equal(image('loong64', { CONFIG_EFI_STUB: 'y', CONFIG_EFI_ZBOOT: 'y' }), 'arch/loongarch/boot/vmlinuz.efi');
    assert.equal(image('loong64', {}), 'arch/loongarch/boot/vmlinux.elf');
    assert.equal(image('ppc64el', { CONFIG_KERNEL_GZIP: 'y' }), 'vmlinux');
    assert.equal(image('amd64', {}), 'arch/x86/boot/bzImage');
    const zboot = bootImageForConfig(row('arm64'), config({ CONFIG_EFI_ZBOOT: 'y' }));
    assert.deepEqual(zboot, { makeTarget: 'vmlinuz.efi', builtPath: 'arch/arm64/boot/vmlinuz.efi', installName: 'vmlinuz' });
  });
});

void describe('archesForElf', () => {
  void it('matches identity, with the float ABI only when known', () => {
    const names = (machine: number, elfClass: 32 | 64, endian: 'little' | 'big', armFloat?: 'hard' | 'soft'): string[] =>
      archesForElf(armFloat === undefined ? { machine, class: elfClass, endian } : { machine, class: elfClass, endian, armFloat }).map((a) => a.debian);
    assert.deepEqual(names(40, 32, 'little', 'hard'), ['armhf']);
    assert.deepEqual(names(40, 32, 'little', 'soft'), ['armel']);
    assert.deepEqual(names(40, 32, 'little'), ['armhf', 'armel']);
    assert.deepEqual(names(21, 64, 'little'), ['ppc64el']);
    assert.deepEqual(names(21, 64, 'big'), ['ppc64']);
    assert.deepEqual(names(62, 64, 'little'), ['amd64']);
    assert.deepEqual(names(62, 32, 'little'), []);
  });
});

void describe('host architecture', () => {
  void it('maps Node.js process.arch values', () => {
    const map = (arch: string, order: 'BE' | 'LE', float?: string): string | undefined => archForNode(arch, order, float)?.debian;
    assert.equal(map('x64', 'LE'), 'amd64');
    assert.equal(map('ia32', 'LE'), 'i386');
    assert.equal(map('arm64', 'LE'), 'arm64');
    assert.equal(map('arm', 'LE', 'hard'), 'armhf');
    assert.equal(map('arm', 'LE'), 'armhf');
    assert.equal(map('arm', 'LE', 'soft'), 'armel');
    assert.equal(map('riscv64', 'LE'), 'riscv64');
    assert.equal(map('ppc64', 'LE'), 'ppc64el');
    assert.equal(map('ppc64', 'BE'), 'ppc64');
    assert.equal(map('s390x', 'BE'), 's390x');
    assert.equal(map('loong64', 'LE'), 'loong64');
    assert.equal(map('mips64el', 'LE'), 'mips64el');
    assert.equal(map('sparc', 'BE'), undefined);
  });

  void it('hostArch is the row of the running node binary', async () => {
    const host = hostArch();
    assert.equal(host.debian, archForNode(process.arch, endianness(), host.elf.armFloat)?.debian);
    const node = await readElfFile(process.execPath);
    if (node.kind !== 'elf') throw new Error(`node is not an ELF: ${JSON.stringify(node)}`);
    assert.ok(archesForElf(identityOf(node.elf)).includes(host));
    assert.equal(node.elf.interpreter, host.dynamicLoader);
  });
});
