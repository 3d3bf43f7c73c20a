// The ELF reader on binaries from the real cross toolchains (not in test:unit; the synthetic and
// damaged-input tests are in elf.test.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseElf, readElfFile } from './elf.js';
import type { ElfType } from './elf.js';
import { hostArch } from '../arch/host.js';
import { CrossBuildDir, GCC_TOOLCHAINS } from '../testing/cross-binaries.js';
import type { BinaryKind, Toolchain } from '../testing/cross-binaries.js';
import { expectElf } from '../testing/elf-checks.js';

// ---------------------------------------------------------------------------------------------
// Real binaries from the installed compilers.

interface ArchExpectation {
  toolchain: Toolchain;
  machine: number;
  machineName: string;
  class: 32 | 64;
  endian: 'little' | 'big';
  interpreter: string;
  /** Checks on e_flags of linked files (executables, shared objects). */
  linkedFlags: (flags: number) => void;
}

const CROSS_EXPECTATIONS: readonly ArchExpectation[] = [
  {
    toolchain: GCC_TOOLCHAINS.arm64,
    machine: 183,
    machineName: 'AArch64',
    class: 64,
    endian: 'little',
    interpreter: '/lib/ld-linux-aarch64.so.1',
    linkedFlags: (flags) => assert.equal(flags, 0),
  },
  {
    toolchain: GCC_TOOLCHAINS.armhf,
    machine: 40,
    machineName: 'ARM',
    class: 32,
    endian: 'little',
    interpreter: '/lib/ld-linux-armhf.so.3',
    // EABI version 5 in the top byte, EF_ARM_ABI_FLOAT_HARD set by the linker.
    linkedFlags: (flags) => {
      assert.equal(flags >>> 24, 5);
      assert.equal(flags & 0x400, 0x400);
      assert.equal(flags & 0x200, 0);
    },
  },
  {
    toolchain: GCC_TOOLCHAINS.riscv64,
    machine: 243,
    machineName: 'RISC-V',
    class: 64,
    endian: 'little',
    interpreter: '/lib/ld-linux-riscv64-lp64d.so.1',
    // EF_RISCV_FLOAT_ABI_DOUBLE (0x4) in the float-ABI field (0x6): the lp64d ABI.
    linkedFlags: (flags) => assert.equal(flags & 0x6, 0x4),
  },
  {
    toolchain: GCC_TOOLCHAINS.ppc64el,
    machine: 21,
    machineName: 'PowerPC64',
    class: 64,
    endian: 'little',
    interpreter: '/lib64/ld64.so.2',
    // ELFv2 ABI.
    linkedFlags: (flags) => assert.equal(flags & 0x3, 2),
  },
  {
    toolchain: GCC_TOOLCHAINS.amd64,
    machine: 62,
    machineName: 'x86-64',
    class: 64,
    endian: 'little',
    interpreter: '/lib64/ld-linux-x86-64.so.2',
    linkedFlags: (flags) => assert.equal(flags, 0),
  },
];

const KIND_EXPECTATIONS: readonly {
  kind: BinaryKind;
  type: ElfType;
  rawType: number;
  hasInterp: boolean;
  linked: boolean;
}[] = [
  { kind: 'pie', type: 'DYN', rawType: 3, hasInterp: true, linked: true },
  { kind: 'exec', type: 'EXEC', rawType: 2, hasInterp: true, linked: true },
  { kind: 'static', type: 'EXEC', rawType: 2, hasInterp: false, linked: true },
  { kind: 'object', type: 'REL', rawType: 1, hasInterp: false, linked: false },
  { kind: 'shared', type: 'DYN', rawType: 3, hasInterp: false, linked: true },
];

void describe('ELF reader on real binaries', () => {
  let dir: CrossBuildDir;
  before(async () => {
    dir = await CrossBuildDir.create();
  });
  after(async () => {
    await dir.remove();
  });

  for (const arch of CROSS_EXPECTATIONS) {
    for (const k of KIND_EXPECTATIONS) {
      void it(`${arch.toolchain.command}: ${k.kind}`, async () => {
        const path = await dir.compile(arch.toolchain, { kind: k.kind });
        const elf = expectElf(await readElfFile(path));
        assert.equal(elf.machine, arch.machine);
        assert.equal(elf.machineName, arch.machineName);
        assert.equal(elf.class, arch.class);
        assert.equal(elf.endian, arch.endian);
        // ld sets ELFOSABI_GNU (3) when a file uses GNU extensions such as IFUNC, which static
        // glibc does on most architectures; everything else here is ELFOSABI_NONE.
        if (k.kind === 'static') assert.ok(elf.osabi === 0 || elf.osabi === 3, `osabi ${elf.osabi}`);
        else assert.equal(elf.osabi, 0);
        assert.equal(elf.type, k.type);
        assert.equal(elf.rawType, k.rawType);
        assert.equal(elf.interpreter, k.hasInterp ? arch.interpreter : undefined);
        if (k.linked) arch.linkedFlags(elf.flags);
        // The buffer parser and the bounded file reader agree.
        assert.deepEqual(parseElf(await readFile(path)), { kind: 'elf', elf });
      });
    }
  }

  void it('armhf objects carry no float-ABI bit; only the linker adds one', async () => {
    const path = await dir.compile(GCC_TOOLCHAINS.armhf, { kind: 'object' });
    const elf = expectElf(await readElfFile(path));
    assert.equal(elf.flags & 0x600, 0);
    assert.equal(elf.flags >>> 24, 5);
  });

  void it('host gcc builds for the host row of the arch table', async () => {
    const host = hostArch();
    const elf = expectElf(await readElfFile(await dir.compile(GCC_TOOLCHAINS.host, { kind: 'pie' })));
    assert.equal(elf.machine, host.elf.machine);
    assert.equal(elf.class, host.elf.class);
    assert.equal(elf.endian, host.elf.endian);
    assert.equal(elf.interpreter, host.dynamicLoader);
  });

  void it('every cut of a real binary is not-elf, then truncated, then the full answer', async () => {
    for (const arch of [GCC_TOOLCHAINS.arm64, GCC_TOOLCHAINS.armhf]) {
      const bytes = await readFile(await dir.compile(arch, { kind: 'pie' }));
      const full = expectElf(parseElf(bytes));
      assert.notEqual(full.interpreter, undefined);
      let firstComplete = -1;
      for (let length = 0; length <= Math.min(bytes.length, 8192); length++) {
        const result = parseElf(bytes.subarray(0, length));
        if (length < 4) {
          assert.deepEqual(result, { kind: 'not-elf' }, `length ${length}`);
        } else if (firstComplete === -1) {
          if (result.kind === 'elf') {
            firstComplete = length;
            assert.deepEqual(result.elf, full, `length ${length}`);
          } else {
            assert.equal(result.kind, 'truncated', `length ${length}: ${JSON.stringify(result)}`);
          }
        } else {
          assert.deepEqual(result, { kind: 'elf', elf: full }, `length ${length}`);
        }
      }
      // Complete once the interpreter string (which follows header and program headers) is in.
      assert.ok(firstComplete > (full.class === 64 ? 64 : 52), `first complete at ${firstComplete}`);
    }
  });
});
