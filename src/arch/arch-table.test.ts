import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ANY_ARCH, ARCHES, archByDebian, archesForElf, findArch } from './arch-table.js';
import type { ArchInfo } from './arch-table.js';

// The table's names and machine facts against their written-out specification; completeness.test.ts
// checks that every row has all it needs, kconfig.test.ts the Kconfig and boot image facts, and
// src/kernel/arch-table.slow.test.ts their agreement with the real cross toolchains.

type Spec = [
  debian: string,
  kernelArch: string,
  srcArch: string,
  rpm: string,
  archnum: number,
  isa: string,
  pacman: string,
  gnuTriplet: string,
  multiarch: string,
  loader: string,
  qemuUser: string,
  nodeArch: string,
];

const SPEC: readonly Spec[] = [
  [
    'amd64',
    'x86_64',
    'x86',
    'x86_64',
    1,
    'x86-64',
    'x86_64',
    'x86_64-linux-gnu',
    'x86_64-linux-gnu',
    '/lib64/ld-linux-x86-64.so.2',
    'x86_64',
    'x64',
  ],
  [
    'i386',
    'i386',
    'x86',
    'i686',
    1,
    'x86-32',
    'i686',
    'i686-linux-gnu',
    'i386-linux-gnu',
    '/lib/ld-linux.so.2',
    'i386',
    'ia32',
  ],
  [
    'arm64',
    'arm64',
    'arm64',
    'aarch64',
    19,
    'aarch-64',
    'aarch64',
    'aarch64-linux-gnu',
    'aarch64-linux-gnu',
    '/lib/ld-linux-aarch64.so.1',
    'aarch64',
    'arm64',
  ],
  [
    'armhf',
    'arm',
    'arm',
    'armv7hl',
    12,
    'armv7hl-32',
    'armv7h',
    'arm-linux-gnueabihf',
    'arm-linux-gnueabihf',
    '/lib/ld-linux-armhf.so.3',
    'arm',
    'arm',
  ],
  [
    'armel',
    'arm',
    'arm',
    'armv5tel',
    12,
    'armv5tel-32',
    'arm',
    'arm-linux-gnueabi',
    'arm-linux-gnueabi',
    '/lib/ld-linux.so.3',
    'arm',
    'arm',
  ],
  [
    'riscv64',
    'riscv',
    'riscv',
    'riscv64',
    22,
    'riscv-64',
    'riscv64',
    'riscv64-linux-gnu',
    'riscv64-linux-gnu',
    '/lib/ld-linux-riscv64-lp64d.so.1',
    'riscv64',
    'riscv64',
  ],
  [
    'ppc64el',
    'powerpc',
    'powerpc',
    'ppc64le',
    16,
    'ppc-64',
    'powerpc64le',
    'powerpc64le-linux-gnu',
    'powerpc64le-linux-gnu',
    '/lib64/ld64.so.2',
    'ppc64le',
    'ppc64',
  ],
  [
    'ppc64',
    'powerpc',
    'powerpc',
    'ppc64',
    16,
    'ppc-64',
    'powerpc64',
    'powerpc64-linux-gnu',
    'powerpc64-linux-gnu',
    '/lib64/ld64.so.1',
    'ppc64',
    'ppc64',
  ],
  [
    's390x',
    's390',
    's390',
    's390x',
    15,
    's390-64',
    's390x',
    's390x-linux-gnu',
    's390x-linux-gnu',
    '/lib/ld64.so.1',
    's390x',
    's390x',
  ],
  [
    'loong64',
    'loongarch',
    'loongarch',
    'loongarch64',
    23,
    'loongarch-64',
    'loong64',
    'loongarch64-linux-gnu',
    'loongarch64-linux-gnu',
    '/lib64/ld-linux-loongarch-lp64d.so.1',
    'loongarch64',
    'loong64',
  ],
  [
    'mips64el',
    'mips',
    'mips',
    'mips64el',
    11,
    'mips-64',
    'mips64el',
    'mips64el-linux-gnuabi64',
    'mips64el-linux-gnuabi64',
    '/lib64/ld.so.1',
    'mips64el',
    'mips64el',
  ],
];

const ELF: Readonly<Record<string, ArchInfo['elf']>> = {
  amd64: { machine: 62, class: 64, endian: 'little' },
  i386: { machine: 3, class: 32, endian: 'little' },
  arm64: { machine: 183, class: 64, endian: 'little' },
  armhf: { machine: 40, class: 32, endian: 'little', armFloat: 'hard' },
  armel: { machine: 40, class: 32, endian: 'little', armFloat: 'soft' },
  riscv64: { machine: 243, class: 64, endian: 'little' },
  ppc64el: { machine: 21, class: 64, endian: 'little' },
  ppc64: { machine: 21, class: 64, endian: 'big' },
  s390x: { machine: 22, class: 64, endian: 'big' },
  loong64: { machine: 258, class: 64, endian: 'little' },
  mips64el: { machine: 8, class: 64, endian: 'little' },
};

function specOf(a: ArchInfo): Spec {
  return [
    a.debian,
    a.kernelArch,
    a.srcArch,
    a.rpm?.name ?? '',
    a.rpm?.archnum ?? -1,
    a.rpm?.isa ?? '',
    a.pacman ?? '',
    a.gnuTriplet,
    a.multiarch,
    a.dynamicLoader,
    a.qemuUser,
    a.nodeArch,
  ];
}

void describe('arch table rows', () => {
  void it('has exactly the specified rows, in order', () => {
    assert.deepEqual(
      ARCHES.map((a) => a.debian),
      SPEC.map(([debian]) => debian),
    );
  });

  for (const expected of SPEC) {
    void it(`row ${expected[0]}: names and machine`, () => {
      const arch = archByDebian(expected[0]);
      assert.ok(arch !== undefined);
      assert.deepEqual(specOf(arch), expected);
      assert.deepEqual(arch.elf, ELF[expected[0]]);
    });
  }

  void it('the first Debian release, where it is not every release', () => {
    assert.deepEqual(
      ARCHES.filter((a) => a.firstDebianRelease !== undefined).map((a) => [a.debian, a.firstDebianRelease]),
      [
        ['riscv64', 'trixie'],
        ['loong64', 'sid'],
      ],
    );
  });

  void it('the qemu-system machines of the proven boots', () => {
    assert.deepEqual(
      ARCHES.filter((a) => a.qemuSystem !== undefined).map((a) => [
        a.debian,
        a.qemuSystem?.binary,
        a.qemuSystem?.console,
      ]),
      [
        ['i386', 'qemu-system-i386', 'ttyS0'],
        ['arm64', 'qemu-system-aarch64', 'ttyAMA0'],
        ['armhf', 'qemu-system-arm', 'ttyAMA0'],
        ['riscv64', 'qemu-system-riscv64', 'ttyS0'],
        ['ppc64el', 'qemu-system-ppc64', 'hvc0'],
        ['s390x', 'qemu-system-s390x', 'ttysclp0'],
      ],
    );
    assert.equal(archByDebian('riscv64')?.qemuSystem?.kernelFile, 'decompressed');
  });

  void it('architecture-independent packages in each family', () => {
    assert.deepEqual(ANY_ARCH, { debian: 'all', rpm: { name: 'noarch', archnum: 0 }, pacman: 'any' });
  });

  void it('archByDebian takes only the Debian name', () => {
    assert.equal(archByDebian('armel')?.debian, 'armel');
    assert.equal(archByDebian('aarch64'), undefined);
    assert.equal(archByDebian('all'), undefined);
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
      for (const name of [a.debian, a.rpm?.name ?? a.debian, a.gnuTriplet, a.multiarch, a.crossPrefix, ...a.aliases]) {
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

void describe('archesForElf', () => {
  void it('matches identity, with the float ABI only when known', () => {
    const names = (
      machine: number,
      elfClass: 32 | 64,
      endian: 'little' | 'big',
      armFloat?: 'hard' | 'soft',
    ): string[] =>
      archesForElf(
        armFloat === undefined ? { machine, class: elfClass, endian } : { machine, class: elfClass, endian, armFloat },
      ).map((a) => a.debian);
    assert.deepEqual(names(40, 32, 'little', 'hard'), ['armhf']);
    assert.deepEqual(names(40, 32, 'little', 'soft'), ['armel']);
    assert.deepEqual(names(40, 32, 'little'), ['armhf', 'armel']);
    assert.deepEqual(names(21, 64, 'little'), ['ppc64el']);
    assert.deepEqual(names(21, 64, 'big'), ['ppc64']);
    assert.deepEqual(names(62, 64, 'little'), ['amd64']);
    assert.deepEqual(names(62, 32, 'little'), []);
  });
});
