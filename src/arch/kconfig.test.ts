import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { archByDebian } from './arch-table.js';
import type { ArchInfo } from './arch-table.js';
import {
  archesForKernelConfig,
  archForKernelConfig,
  bootImageForConfig,
  bootInstallPathFor,
  srcArchOf,
} from './kconfig.js';
import { KpkgError } from '../util/errors.js';

function row(debian: string): ArchInfo {
  const found = archByDebian(debian);
  if (found === undefined) throw new Error(`no row ${debian}`);
  return found;
}

const config = (entries: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(entries));

void describe('archForKernelConfig', () => {
  void it('powerpc: little- and big-endian 64-bit', () => {
    assert.equal(
      archForKernelConfig('powerpc', config({ CONFIG_PPC64: 'y', CONFIG_CPU_LITTLE_ENDIAN: 'y' })).debian,
      'ppc64el',
    );
    assert.equal(
      archForKernelConfig('powerpc', config({ CONFIG_PPC64: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' })).debian,
      'ppc64',
    );
  });

  void it('powerpc 32-bit is refused, naming the symbols', () => {
    assert.throws(
      () => archForKernelConfig('powerpc', config({ CONFIG_PPC32: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' })),
      (e: unknown) =>
        e instanceof KpkgError && /CONFIG_PPC64=y/.test(e.message) && /CONFIG_PPC64 not set/.test(e.message),
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
    assert.equal(
      archForKernelConfig('arm', config({ CONFIG_AEABI: 'y', CONFIG_CPU_32v5: 'y', CONFIG_VFP: 'y' })).debian,
      'armel',
    );
    assert.equal(archForKernelConfig('arm', config({ CONFIG_AEABI: 'y', CONFIG_CPU_32v7: 'y' })).debian, 'armel');
    assert.throws(() => archForKernelConfig('arm', config({ CONFIG_CPU_32v5: 'y' })), /CONFIG_AEABI/);
    assert.throws(
      () => archForKernelConfig('arm', config({ ...v7, CONFIG_CPU_BIG_ENDIAN: 'y' })),
      /CONFIG_CPU_BIG_ENDIAN=y/,
    );
  });

  void it('the single-row arches', () => {
    assert.equal(archForKernelConfig('arm64', config({ CONFIG_CPU_LITTLE_ENDIAN: 'y' })).debian, 'arm64');
    assert.equal(archForKernelConfig('riscv', config({ CONFIG_64BIT: 'y' })).debian, 'riscv64');
    assert.equal(archForKernelConfig('s390', config({ CONFIG_64BIT: 'y' })).debian, 's390x');
    assert.equal(archForKernelConfig('loongarch', config({ CONFIG_64BIT: 'y' })).debian, 'loong64');
    assert.equal(
      archForKernelConfig('mips', config({ CONFIG_64BIT: 'y', CONFIG_CPU_LITTLE_ENDIAN: 'y' })).debian,
      'mips64el',
    );
    assert.throws(() => archForKernelConfig('arm64', config({ CONFIG_CPU_BIG_ENDIAN: 'y' })), KpkgError);
    assert.throws(() => archForKernelConfig('riscv', config({ CONFIG_32BIT: 'y' })), /CONFIG_64BIT/);
    assert.throws(
      () => archForKernelConfig('mips', config({ CONFIG_64BIT: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' })),
      /CONFIG_CPU_LITTLE_ENDIAN/,
    );
  });

  void it('an unsupported ARCH is a KpkgError with a hint', () => {
    assert.throws(
      () => archForKernelConfig('sparc', config({ CONFIG_64BIT: 'y' })),
      (e: unknown) =>
        e instanceof KpkgError && /sparc/.test(e.message) && e.hint !== undefined && /powerpc/.test(e.hint),
    );
    // Debian names are not kernel ARCH values.
    assert.throws(() => archForKernelConfig('amd64', config({ CONFIG_64BIT: 'y' })), KpkgError);
  });
});

void describe('archesForKernelConfig: the machine from a configuration alone', () => {
  void it("the architecture symbol picks SRCARCH, the rows' conditions the machine", () => {
    const debian = (values: Record<string, string>): string[] | undefined =>
      archesForKernelConfig(config(values))?.arches.map((a) => a.debian);
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
    assert.deepEqual(debian({ CONFIG_ARM: 'y', CONFIG_AEABI: 'y', CONFIG_CPU_32v7: 'y', CONFIG_VFP: 'y' }), [
      'armhf',
      'armel',
    ]);
    assert.deepEqual(debian({ CONFIG_ARM: 'y', CONFIG_AEABI: 'y', CONFIG_CPU_32v5: 'y' }), ['armel']);
    assert.equal(debian({ CONFIG_SPARC: 'y', CONFIG_64BIT: 'y' }), undefined);
    assert.equal(debian({ CONFIG_MODULES: 'y' }), undefined);
  });

  void it('says which symbols decided, and why none of the rows fits', () => {
    assert.equal(
      archesForKernelConfig(config({ CONFIG_X86: 'y', CONFIG_64BIT: 'y' }))?.evidence,
      'CONFIG_X86=y, CONFIG_64BIT=y',
    );
    const bigEndian = archesForKernelConfig(config({ CONFIG_ARM64: 'y', CONFIG_CPU_BIG_ENDIAN: 'y' }));
    assert.deepEqual(bigEndian?.arches, []);
    assert.equal(bigEndian?.srcArch, 'arm64');
    assert.equal(
      bigEndian?.evidence,
      'CONFIG_ARM64=y; arm64 needs CONFIG_CPU_BIG_ENDIAN not set; the tree has CONFIG_CPU_BIG_ENDIAN=y',
    );
  });
});

void describe('boot images', () => {
  void it('install paths', () => {
    assert.equal(bootInstallPathFor(row('arm64'), '6.12.9-kpkg'), '/boot/vmlinuz-6.12.9-kpkg');
    assert.equal(bootInstallPathFor(row('ppc64el'), '6.1.0'), '/boot/vmlinux-6.1.0');
  });

  void it('follow KBUILD_IMAGE of the configuration', () => {
    const image = (debian: string, entries: Record<string, string>): string =>
      bootImageForConfig(row(debian), config(entries)).builtPath;
    assert.equal(image('arm64', {}), 'arch/arm64/boot/Image.gz');
    assert.equal(image('arm64', { CONFIG_EFI_ZBOOT: 'y' }), 'arch/arm64/boot/vmlinuz.efi');
    assert.equal(image('armhf', { CONFIG_XIP_KERNEL: 'y' }), 'arch/arm/boot/xipImage');
    assert.equal(image('riscv64', {}), 'arch/riscv/boot/Image.gz');
    assert.equal(image('riscv64', { CONFIG_KERNEL_GZIP: 'y' }), 'arch/riscv/boot/Image.gz');
    assert.equal(image('riscv64', { CONFIG_KERNEL_ZSTD: 'y' }), 'arch/riscv/boot/Image.zst');
    assert.equal(image('riscv64', { CONFIG_KERNEL_UNCOMPRESSED: 'y' }), 'arch/riscv/boot/Image');
    assert.equal(image('riscv64', { CONFIG_KERNEL_GZIP: 'y', CONFIG_EFI_ZBOOT: 'y' }), 'arch/riscv/boot/vmlinuz.efi');
    assert.equal(image('riscv64', { CONFIG_XIP_KERNEL: 'y' }), 'arch/riscv/boot/xipImage');
    assert.equal(
      image('riscv64', { CONFIG_RISCV_M_MODE: 'y', CONFIG_SOC_CANAAN_K210: 'y' }),
      'arch/riscv/boot/loader.bin',
    );
    assert.equal(image('loong64', { CONFIG_EFI_STUB: 'y' }), 'arch/loongarch/boot/vmlinux.efi');
    assert.equal(image('loong64', { CONFIG_EFI_STUB: 'y', CONFIG_EFI_ZBOOT: 'y' }), 'arch/loongarch/boot/vmlinuz.efi');
    assert.equal(image('loong64', {}), 'arch/loongarch/boot/vmlinux.elf');
    assert.equal(image('ppc64el', { CONFIG_KERNEL_GZIP: 'y' }), 'vmlinux');
    assert.equal(image('amd64', {}), 'arch/x86/boot/bzImage');
    const zboot = bootImageForConfig(row('arm64'), config({ CONFIG_EFI_ZBOOT: 'y' }));
    assert.deepEqual(zboot, {
      makeTarget: 'vmlinuz.efi',
      builtPath: 'arch/arm64/boot/vmlinuz.efi',
      installName: 'vmlinuz',
    });
  });
});

void describe('srcArchOf', () => {
  void it('folds ARCH onto the arch/ directory as the top Makefile does, from the rows and for kernels without one', () => {
    assert.equal(srcArchOf('x86_64'), 'x86');
    assert.equal(srcArchOf('i386'), 'x86');
    assert.equal(srcArchOf('arm64'), 'arm64');
    assert.equal(srcArchOf('arm'), 'arm');
    assert.equal(srcArchOf('sparc64'), 'sparc');
    assert.equal(srcArchOf('openrisc'), 'openrisc');
  });
});
