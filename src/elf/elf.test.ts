import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isElfMagic, machineName, MAX_INTERP_LENGTH, parseElf, readElfFile } from './elf.js';
import { KpkgError } from '../util/errors.js';
import { hostArch } from '../arch/host.js';
import { CrossBuildDir } from '../testing/cross-binaries.js';
import { expectElf, prng } from '../testing/elf-checks.js';

// The ELF reader on synthetic and damaged input and on the running node binary. Its tests on
// binaries from the real cross toolchains are in elf.slow.test.ts.

// ---------------------------------------------------------------------------------------------
// Synthetic ELF files, for the cases no compiler produces.

interface SyntheticPhdr {
  type: number;
  offset: number | bigint;
  filesz: number | bigint;
}

interface SyntheticElf {
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  type?: number;
  machine?: number;
  flags?: number;
  osabi?: number;
  phoff?: number;
  phentsize?: number;
  /** Defaults to phdrs.length. */
  phnum?: number;
  phdrs?: SyntheticPhdr[];
  shoff?: number;
  shentsize?: number;
  /** Bytes to place at given offsets (the file grows to hold them). */
  payloads?: { offset: number; bytes: Uint8Array }[];
  /** Minimum file size. */
  size?: number;
}

const PT_LOAD = 1;
const PT_INTERP = 3;

function makeElf(spec: SyntheticElf): Uint8Array {
  const is64 = spec.elfClass === 64;
  const headerSize = is64 ? 64 : 52;
  const phdrSize = is64 ? 56 : 32;
  const phdrs = spec.phdrs ?? [];
  const phoff = spec.phoff ?? headerSize;
  const phentsize = spec.phentsize ?? phdrSize;
  let size = Math.max(spec.size ?? 0, headerSize, phdrs.length > 0 ? phoff + phdrs.length * phentsize : 0);
  for (const p of spec.payloads ?? []) size = Math.max(size, p.offset + p.bytes.length);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  const le = spec.endian === 'little';
  bytes.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, le ? 1 : 2, 1, spec.osabi ?? 0]);
  view.setUint16(16, spec.type ?? 2, le);
  view.setUint16(18, spec.machine ?? 62, le);
  view.setUint32(20, 1, le);
  if (is64) {
    view.setBigUint64(32, BigInt(phoff), le);
    view.setBigUint64(40, BigInt(spec.shoff ?? 0), le);
    view.setUint32(48, spec.flags ?? 0, le);
    view.setUint16(52, headerSize, le);
    view.setUint16(54, phentsize, le);
    view.setUint16(56, spec.phnum ?? phdrs.length, le);
    view.setUint16(58, spec.shentsize ?? 64, le);
  } else {
    view.setUint32(28, phoff, le);
    view.setUint32(32, spec.shoff ?? 0, le);
    view.setUint32(36, spec.flags ?? 0, le);
    view.setUint16(40, headerSize, le);
    view.setUint16(42, phentsize, le);
    view.setUint16(44, spec.phnum ?? phdrs.length, le);
    view.setUint16(46, spec.shentsize ?? 40, le);
  }
  phdrs.forEach((p, i) => {
    const at = phoff + i * phentsize;
    view.setUint32(at, p.type, le);
    if (is64) {
      view.setBigUint64(at + 8, BigInt(p.offset), le);
      view.setBigUint64(at + 32, BigInt(p.filesz), le);
    } else {
      view.setUint32(at + 4, Number(p.offset), le);
      view.setUint32(at + 16, Number(p.filesz), le);
    }
  });
  for (const p of spec.payloads ?? []) bytes.set(p.bytes, p.offset);
  return bytes;
}

const encoder = new TextEncoder();
const cString = (s: string): Uint8Array => encoder.encode(`${s}\0`);

void describe('ELF reader on the running node binary', () => {
  void it('reads the running node binary', async () => {
    const elf = expectElf(await readElfFile(process.execPath));
    assert.equal(elf.machine, hostArch().elf.machine);
  });
});

void describe('ELF reader on damaged and synthetic input', () => {
  const interpAt = 0x200;
  const good64 = (): SyntheticElf => ({
    elfClass: 64,
    endian: 'little',
    machine: 183,
    phdrs: [
      { type: PT_LOAD, offset: 0, filesz: 0x100 },
      { type: PT_INTERP, offset: interpAt, filesz: 27 },
    ],
    payloads: [{ offset: interpAt, bytes: cString('/lib/ld-linux-aarch64.so.1') }],
  });

  void it('empty input and a partial magic are not ELF', () => {
    assert.deepEqual(parseElf(new Uint8Array(0)), { kind: 'not-elf' });
    assert.deepEqual(parseElf(new Uint8Array([0x7f, 0x45, 0x4c])), { kind: 'not-elf' });
    assert.deepEqual(parseElf(encoder.encode('#!/bin/sh\necho hi\n')), { kind: 'not-elf' });
    assert.deepEqual(parseElf(encoder.encode('\x7fELf and more')), { kind: 'not-elf' });
  });

  void it('isElfMagic looks at the first four bytes only', () => {
    assert.equal(isElfMagic(new Uint8Array([0x7f, 0x45, 0x4c, 0x46])), true);
    assert.equal(isElfMagic(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 9, 9, 9])), true);
    assert.equal(isElfMagic(new Uint8Array([0x7f, 0x45, 0x4c])), false);
    assert.equal(isElfMagic(new Uint8Array([0x7f, 0x45, 0x4c, 0x47])), false);
    assert.equal(isElfMagic(new Uint8Array(0)), false);
  });

  void it('the magic alone is a truncated ELF', () => {
    const result = parseElf(new Uint8Array([0x7f, 0x45, 0x4c, 0x46]));
    assert.equal(result.kind, 'truncated');
  });

  void it('a header cut at every length 0..63 never throws', () => {
    for (const spec of [good64(), { ...good64(), elfClass: 32 as const, endian: 'big' as const }]) {
      const bytes = makeElf(spec);
      const headerSize = spec.elfClass === 64 ? 64 : 52;
      for (let length = 0; length < 64; length++) {
        const result = parseElf(bytes.subarray(0, length));
        if (length < 4) assert.equal(result.kind, 'not-elf', `length ${length}`);
        else if (length < headerSize) assert.equal(result.kind, 'truncated', `length ${length}`);
        else assert.notEqual(result.kind, 'not-elf', `length ${length}`);
      }
    }
  });

  void it('reads a well-formed synthetic ELF of each class and byte order', () => {
    for (const elfClass of [32, 64] as const) {
      for (const endian of ['little', 'big'] as const) {
        const bytes = makeElf({ ...good64(), elfClass, endian, machine: 0x1234, flags: 0x89abcdef, osabi: 3, type: 4 });
        const elf = expectElf(parseElf(bytes));
        assert.deepEqual(elf, {
          class: elfClass,
          endian,
          osabi: 3,
          type: 'CORE',
          rawType: 4,
          machine: 0x1234,
          machineName: 'machine 0x1234',
          flags: 0x89abcdef,
          interpreter: '/lib/ld-linux-aarch64.so.1',
        });
      }
    }
  });

  void it('names the machines kpkg knows', () => {
    assert.deepEqual([62, 3, 183, 40, 243, 21, 22, 258, 8].map(machineName), [
      'x86-64',
      'Intel 80386',
      'AArch64',
      'ARM',
      'RISC-V',
      'PowerPC64',
      'S390',
      'LoongArch',
      'MIPS',
    ]);
    assert.equal(machineName(0xbeef), 'machine 0xbeef');
  });

  void it('maps unknown e_type values to OTHER and keeps the raw value', () => {
    const elf = expectElf(parseElf(makeElf({ elfClass: 64, endian: 'little', type: 0xfe00 })));
    assert.equal(elf.type, 'OTHER');
    assert.equal(elf.rawType, 0xfe00);
    assert.equal(expectElf(parseElf(makeElf({ elfClass: 64, endian: 'little', type: 0 }))).type, 'NONE');
  });

  void it('rejects a bad class or data byte', () => {
    const bytes = makeElf(good64());
    for (const bad of [0, 3, 0xff]) {
      const copy = bytes.slice();
      copy[4] = bad;
      const result = parseElf(copy);
      assert.equal(result.kind, 'invalid');
      assert.match(result.kind === 'invalid' ? result.reason : '', /class/);
    }
    const copy = bytes.slice();
    copy[5] = 7;
    const result = parseElf(copy);
    assert.equal(result.kind, 'invalid');
    assert.match(result.kind === 'invalid' ? result.reason : '', /data/);
  });

  void it('rejects absurd program header tables', () => {
    // 0xfffe entries of 0xffff bytes: 4 GiB of program headers.
    assert.equal(parseElf(makeElf({ ...good64(), phdrs: [], phnum: 0xfffe, phentsize: 0xffff })).kind, 'invalid');
    // Entries smaller than an Elf64_Phdr.
    assert.equal(parseElf(makeElf({ ...good64(), phentsize: 8 })).kind, 'invalid');
    // Program headers inside the ELF header.
    assert.equal(parseElf(makeElf({ ...good64(), phoff: 16, size: 0x300 })).kind, 'invalid');
  });

  void it('a plausible program header table that runs past the end is truncated', () => {
    const result = parseElf(makeElf({ ...good64(), phdrs: [], phnum: 60000 }));
    assert.equal(result.kind, 'truncated');
    // e_phoff beyond 2^53 (only a 64-bit field can say that).
    const huge = makeElf(good64());
    new DataView(huge.buffer).setBigUint64(32, 0xffff_ffff_ffff_0000n, true);
    assert.equal(parseElf(huge).kind, 'truncated');
  });

  void it('an interpreter past the end of the file is truncated', () => {
    const spec: SyntheticElf = { ...good64(), payloads: [], phdrs: [{ type: PT_INTERP, offset: 0x10000, filesz: 27 }] };
    const result = parseElf(makeElf(spec));
    assert.equal(result.kind, 'truncated');
    assert.match(result.kind === 'truncated' ? result.reason : '', /PT_INTERP/);
    const hugeOffset = parseElf(
      makeElf({ ...spec, phdrs: [{ type: PT_INTERP, offset: 0xffff_ffff_ffff_ff00n, filesz: 27 }] }),
    );
    assert.equal(hugeOffset.kind, 'truncated');
  });

  void it('rejects an empty or over-long interpreter', () => {
    assert.equal(
      parseElf(makeElf({ ...good64(), phdrs: [{ type: PT_INTERP, offset: interpAt, filesz: 0 }] })).kind,
      'invalid',
    );
    const long = makeElf({
      ...good64(),
      phdrs: [{ type: PT_INTERP, offset: interpAt, filesz: MAX_INTERP_LENGTH + 1 }],
      size: interpAt + 8192,
    });
    assert.equal(parseElf(long).kind, 'invalid');
  });

  void it('stops the interpreter at its first NUL and uses the first PT_INTERP', () => {
    const bytes = makeElf({
      ...good64(),
      phdrs: [
        { type: PT_INTERP, offset: interpAt, filesz: 16 },
        { type: PT_INTERP, offset: interpAt + 32, filesz: 8 },
      ],
      payloads: [
        { offset: interpAt, bytes: encoder.encode('/lib/ld.so\0junk') },
        { offset: interpAt + 32, bytes: cString('/other') },
      ],
    });
    assert.equal(expectElf(parseElf(bytes)).interpreter, '/lib/ld.so');
    // No NUL at all: the whole segment.
    const noNul = makeElf({
      ...good64(),
      phdrs: [{ type: PT_INTERP, offset: interpAt, filesz: 6 }],
      payloads: [{ offset: interpAt, bytes: encoder.encode('/ld.so') }],
    });
    assert.equal(expectElf(parseElf(noNul)).interpreter, '/ld.so');
  });

  void it('finds the program header count in section header 0 when e_phnum is PN_XNUM', () => {
    const shoff = 0x300;
    for (const elfClass of [32, 64] as const) {
      const bytes = makeElf({ ...good64(), elfClass, phnum: 0xffff, shoff, size: shoff + 64 });
      new DataView(bytes.buffer).setUint32(shoff + (elfClass === 64 ? 44 : 28), 2, true); // sh_info
      assert.equal(expectElf(parseElf(bytes)).interpreter, '/lib/ld-linux-aarch64.so.1');
      assert.equal(parseElf(bytes.subarray(0, shoff + 8)).kind, 'truncated');
    }
  });

  void it('survives seeded random garbage, with and without an ELF magic', () => {
    const random = prng(0x6b706b67);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const bytes = new Uint8Array(Math.floor(random() * 600));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
      if (i % 2 === 0 && bytes.length >= 4) bytes.set([0x7f, 0x45, 0x4c, 0x46]);
      // Make a good share get past the class/data check, so later checks are reached.
      if (i % 4 === 0 && bytes.length >= 6) bytes.set([1 + (i % 8 < 4 ? 0 : 1), 1 + (i % 16 < 8 ? 0 : 1)], 4);
      // And some with no program headers (e_phnum of either class zeroed), so some parse fully.
      if (i % 8 === 0 && bytes.length >= 64) bytes.fill(0, 44, 46).fill(0, 56, 58);
      const result = parseElf(bytes);
      counts.set(result.kind, (counts.get(result.kind) ?? 0) + 1);
    }
    for (const kind of ['not-elf', 'truncated', 'invalid', 'elf'])
      assert.ok((counts.get(kind) ?? 0) > 0, `no '${kind}' result in ${JSON.stringify([...counts])}`);
  });

  void it('survives random corruption of a well-formed file', () => {
    const random = prng(42);
    const original = makeElf(good64());
    for (let i = 0; i < 3000; i++) {
      const bytes = original.slice();
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips; f++) bytes[Math.floor(random() * 0x240)] = Math.floor(random() * 256);
      const result = parseElf(bytes.subarray(0, Math.floor(random() * bytes.length) + 1));
      assert.ok(['not-elf', 'truncated', 'invalid', 'elf'].includes(result.kind));
    }
  });
});

void describe('readElfFile', () => {
  let dir: CrossBuildDir;
  before(async () => {
    dir = await CrossBuildDir.create('kpkg-elf-files-');
  });
  after(async () => {
    await dir.remove();
  });

  void it('says not-elf for a text file and a 0-byte file', async () => {
    const text = join(dir.path, 'script.sh');
    await writeFile(text, '#!/bin/sh\nexit 0\n');
    assert.deepEqual(await readElfFile(text), { kind: 'not-elf' });
    const empty = join(dir.path, 'empty');
    await writeFile(empty, '');
    assert.deepEqual(await readElfFile(empty), { kind: 'not-elf' });
  });

  void it('reports a cut-short file as truncated', async () => {
    const whole = makeElf({
      elfClass: 64,
      endian: 'little',
      phdrs: [{ type: PT_INTERP, offset: 0x200, filesz: 11 }],
      payloads: [{ offset: 0x200, bytes: cString('/lib/ld.so') }],
    });
    const path = join(dir.path, 'cut');
    await writeFile(path, whole.subarray(0, 0x205));
    const result = await readElfFile(path);
    assert.equal(result.kind, 'truncated');
    await writeFile(path, whole);
    assert.equal(expectElf(await readElfFile(path)).interpreter, '/lib/ld.so');
  });

  void it('reads a 4 GiB (sparse) file without loading it', async () => {
    const path = join(dir.path, 'huge');
    await writeFile(
      path,
      makeElf({
        elfClass: 64,
        endian: 'little',
        phdrs: [{ type: PT_INTERP, offset: 0x200, filesz: 11 }],
        payloads: [{ offset: 0x200, bytes: cString('/lib/ld.so') }],
      }),
    );
    const handle = await open(path, 'r+');
    await handle.truncate(4 * 1024 * 1024 * 1024);
    await handle.close();
    const before = process.memoryUsage().rss;
    assert.equal(expectElf(await readElfFile(path)).interpreter, '/lib/ld.so');
    assert.ok(process.memoryUsage().rss - before < 256 * 1024 * 1024);
  });

  void it('throws KpkgError for a missing file, a directory and a FIFO', async () => {
    await assert.rejects(
      readElfFile(join(dir.path, 'does-not-exist')),
      (e: unknown) => e instanceof KpkgError && e.where !== undefined,
    );
    await assert.rejects(readElfFile(dir.path), KpkgError);
    const fifo = join(dir.path, 'fifo');
    await promisify(execFile)('mkfifo', [fifo]);
    await assert.rejects(readElfFile(fifo), KpkgError);
  });
});
