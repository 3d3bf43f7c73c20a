// The dynamic section reader on binaries from the real cross toolchains (not in test:unit; the
// synthetic-input tests are in dynamic.test.ts).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseDynamic, readDynamicFile } from './dynamic.js';
import type { DynamicInfo } from './dynamic.js';
import { CLANG_TOOLCHAINS, CrossBuildDir, GCC_TOOLCHAINS } from '../testing/cross-binaries.js';
import type { Toolchain } from '../testing/cross-binaries.js';
import { assertWellFormedDynamic as assertWellFormed, prng } from '../testing/elf-checks.js';

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Test binaries: a versioned shared library (two version nodes, a soname) and a program that
// imports from it, from libc and, on the host, from zlib — strong, weak, versioned and not.

const LIBRARY_SOURCE = `
#ifdef WITH_LIBC
#include <stdio.h>
#endif
int kpkg_demo(int x) {
#ifdef WITH_LIBC
  puts("kpkg");
#endif
  return x + 1;
}
int kpkg_demo2(int x) { return x + 2; }
int kpkg_weak_demo(void) { return 3; }
`;

const VERSION_SCRIPT = `
KPKG_1.0 { global: kpkg_demo; kpkg_weak_demo; local: *; };
KPKG_2.0 { global: kpkg_demo2; } KPKG_1.0;
`;

const PROGRAM_SOURCE = `
#ifdef WITH_LIBC
#include <stdio.h>
#endif
#ifdef WITH_ZLIB
#include <zlib.h>
#endif
extern int kpkg_demo(int);
extern int kpkg_demo2(int);
extern int kpkg_weak_demo(void) __attribute__((weak));
extern int kpkg_optional(void) __attribute__((weak));
int main(int argc, char **argv) {
  (void)argv;
  int r = kpkg_demo(argc) + kpkg_demo2(argc);
  if (kpkg_weak_demo) r += kpkg_weak_demo();
  if (kpkg_optional) r += kpkg_optional();
#ifdef WITH_LIBC
  printf("%d\\n", r);
#endif
#ifdef WITH_ZLIB
  puts(zlibVersion());
#endif
  return r == 0;
}
`;

/** 32-bit big-endian: no GNU cross compiler for one is installed, clang and lld link it. */
const CLANG_PPC32: Toolchain = {
  debian: 'powerpc',
  command: 'clang',
  targetArgs: ['--target=powerpc-linux-gnu', '-fuse-ld=lld'],
  aptPackages: ['clang', 'lld'],
  hasLibc: false,
};

interface Target {
  label: string;
  toolchain: Toolchain;
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  zlib?: boolean;
  /** Also build a -no-pie (ET_EXEC) program. */
  exec?: boolean;
}

const TARGETS: readonly Target[] = [
  {
    label: 'host gcc (x86-64)',
    toolchain: GCC_TOOLCHAINS.host,
    elfClass: 64,
    endian: 'little',
    zlib: true,
    exec: true,
  },
  { label: 'aarch64-linux-gnu-gcc', toolchain: GCC_TOOLCHAINS.arm64, elfClass: 64, endian: 'little' },
  { label: 'arm-linux-gnueabihf-gcc', toolchain: GCC_TOOLCHAINS.armhf, elfClass: 32, endian: 'little', exec: true },
  { label: 'powerpc64le-linux-gnu-gcc', toolchain: GCC_TOOLCHAINS.ppc64el, elfClass: 64, endian: 'little' },
  { label: 'clang ppc64 (big-endian)', toolchain: CLANG_TOOLCHAINS.ppc64, elfClass: 64, endian: 'big' },
  { label: 'clang powerpc (32-bit big-endian)', toolchain: CLANG_PPC32, elfClass: 32, endian: 'big', exec: true },
];

interface Built {
  target: Target;
  library: string;
  pie: string;
  exec?: string;
}

async function buildTarget(dir: CrossBuildDir, target: Target): Promise<Built> {
  const { toolchain } = target;
  const defines = toolchain.hasLibc ? ['-DWITH_LIBC'] : [];
  const script = join(dir.path, `${toolchain.debian}-${target.elfClass}.map`);
  await writeFile(script, VERSION_SCRIPT);
  const library = await dir.compile(toolchain, {
    kind: 'shared',
    source: LIBRARY_SOURCE,
    flags: [...defines, '-Wl,-soname,libkpkgdemo.so.1', `-Wl,--version-script=${script}`],
    name: `libkpkgdemo-${toolchain.debian}-${target.elfClass}.so.1`,
  });
  // The helper puts flags before the source, so libraries come first: --no-as-needed keeps them
  // (Debian's cross gcc links --as-needed by default and would drop them before seeing a use).
  const linkFlags = [
    ...defines,
    '-Wl,--no-as-needed',
    ...(target.zlib === true ? ['-DWITH_ZLIB', '-lz'] : []),
    library,
  ];
  const pie = await dir.compile(toolchain, { kind: 'pie', source: PROGRAM_SOURCE, flags: linkFlags });
  const exec =
    target.exec === true
      ? await dir.compile(toolchain, { kind: 'exec', source: PROGRAM_SOURCE, flags: linkFlags })
      : undefined;
  return exec === undefined ? { target, library, pie } : { target, library, pie, exec };
}

// ---------------------------------------------------------------------------------------------
// What readelf says about the same file.

interface ReadelfView {
  elfClass: 32 | 64;
  needed: string[];
  soname?: string;
  imports: { name: string; version?: string; library?: string; weak: boolean }[];
  /** Section name → header index, offset, size (for targeted damage). */
  sections: Map<string, { index: number; offset: number; size: number }>;
  shoff: number;
}

async function readelf(path: string): Promise<ReadelfView> {
  const { stdout } = await run('readelf', ['-h', '-S', '--dyn-syms', '-d', '-V', '-W', path], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = stdout.split('\n');
  const needed: string[] = [];
  let soname: string | undefined;
  let elfClass: 32 | 64 | undefined;
  let shoff = 0;
  const sections = new Map<string, { index: number; offset: number; size: number }>();
  const versionFiles = new Map<number, string>();
  const symbols: { name: string; version?: string; versionIndex?: number; weak: boolean }[] = [];
  let part: 'other' | 'dynsym' | 'verneed' = 'other';
  let file = '';
  for (const line of lines) {
    const klass = /^\s*Class:\s+ELF(32|64)$/.exec(line);
    if (klass !== null) elfClass = klass[1] === '32' ? 32 : 64;
    const start = /^\s*Start of section headers:\s+(\d+)/.exec(line);
    if (start !== null) shoff = Number(start[1]);
    const section = /^\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)\s/.exec(line);
    if (section !== null)
      sections.set(section[2] ?? '', {
        index: Number(section[1]),
        offset: parseInt(section[3] ?? '', 16),
        size: parseInt(section[4] ?? '', 16),
      });
    const need = /\(NEEDED\)\s+Shared library: \[(.*)\]$/.exec(line);
    if (need !== null) needed.push(need[1] ?? '');
    const so = /\(SONAME\)\s+Library soname: \[(.*)\]$/.exec(line);
    if (so !== null) soname = so[1];

    if (line.startsWith("Symbol table '.dynsym'")) part = 'dynsym';
    else if (line.startsWith('Version needs section')) part = 'verneed';
    else if (/^\S/.test(line)) part = 'other';

    if (part === 'dynsym') {
      // "  N: value size type bind vis [<localentry>: 8] UND name@VERSION (index)"
      if (!/^\s*\d+:/.test(line)) continue;
      const bind = line.trim().split(/\s+/)[4];
      const und = /\sUND\s+([^@\s]+)(?:@(\S+) \((\d+)\))?\s*$/.exec(line);
      if (und === null || bind === 'LOCAL') continue;
      const name = und[1] ?? '';
      const weak = bind === 'WEAK';
      symbols.push(
        und[2] === undefined ? { name, weak } : { name, version: und[2], versionIndex: Number(und[3]), weak },
      );
    } else if (part === 'verneed') {
      // "  000000: Version: 1  File: libc.so.6  Cnt: 2" then "  0x0010:   Name: GLIBC_2.2.5  Flags: none  Version: 3"
      const f = /File: (\S+)/.exec(line);
      if (f !== null) file = f[1] ?? '';
      const aux = /Name: \S+\s+Flags: .*Version: (\d+)/.exec(line);
      if (aux !== null) versionFiles.set(Number(aux[1]), file);
    }
  }
  const imports = symbols.map(({ name, version, versionIndex, weak }) => {
    const library = versionIndex === undefined ? undefined : versionFiles.get(versionIndex);
    if (version === undefined) return { name, weak };
    return library === undefined ? { name, version, weak } : { name, version, library, weak };
  });
  assert.ok(elfClass !== undefined, `readelf printed no class for ${path}`);
  return soname === undefined
    ? { elfClass, needed, imports, sections, shoff }
    : { elfClass, needed, soname, imports, sections, shoff };
}

function expected(view: ReadelfView): DynamicInfo {
  const base = { needed: view.needed, imports: view.imports, elfClass: view.elfClass };
  return view.soname === undefined ? base : { ...base, soname: view.soname };
}

function mustParse(bytes: Uint8Array): DynamicInfo {
  const info = parseDynamic(bytes);
  assert.ok(info !== undefined, 'expected dynamic info');
  return info;
}

/** A file's bytes as a plain Uint8Array (a Buffer's slice() is a view, not a copy). */
async function readBytes(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

/** Writes section header fields of either class and byte order (for targeted damage). */
class SectionPatcher {
  private readonly view: DataView;
  private readonly little: boolean;
  private readonly is64: boolean;

  constructor(
    readonly bytes: Uint8Array,
    private readonly shoff: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.is64 = bytes[4] === 2;
    this.little = bytes[5] === 1;
  }

  private at(index: number): number {
    return this.shoff + index * (this.is64 ? 64 : 40);
  }

  private setWord(at: number, value: number | bigint): void {
    if (this.is64) this.view.setBigUint64(at, BigInt(value), this.little);
    else this.view.setUint32(at, Number(BigInt.asUintN(32, BigInt(value))), this.little);
  }

  /** e_shoff in the ELF header. */
  setShoff(value: number | bigint): void {
    this.setWord(this.is64 ? 40 : 32, value);
  }

  setType(index: number, type: number): void {
    this.view.setUint32(this.at(index) + 4, type, this.little);
  }

  setSize(index: number, size: number | bigint): void {
    this.setWord(this.at(index) + (this.is64 ? 32 : 20), size);
  }

  setLink(index: number, link: number): void {
    this.view.setUint32(this.at(index) + (this.is64 ? 40 : 24), link, this.little);
  }

  setInfo(index: number, info: number): void {
    this.view.setUint32(this.at(index) + (this.is64 ? 44 : 28), info, this.little);
  }

  setEntsize(index: number, entsize: number): void {
    this.setWord(this.at(index) + (this.is64 ? 56 : 36), entsize);
  }

  u16(at: number): number {
    return this.view.getUint16(at, this.little);
  }

  u32(at: number): number {
    return this.view.getUint32(at, this.little);
  }

  setU16(at: number, value: number): void {
    this.view.setUint16(at, value, this.little);
  }

  setU32(at: number, value: number): void {
    this.view.setUint32(at, value, this.little);
  }
}

function sectionOf(view: ReadelfView, name: string): { index: number; offset: number; size: number } {
  const section = view.sections.get(name);
  assert.ok(section !== undefined, `no ${name} section`);
  return section;
}

// ---------------------------------------------------------------------------------------------

void describe('dynamic section reader on real binaries', () => {
  let dir: CrossBuildDir;
  const built = new Map<string, Built>();
  before(async () => {
    dir = await CrossBuildDir.create('kpkg-dynamic-');
    for (const b of await Promise.all(TARGETS.map((t) => buildTarget(dir, t)))) built.set(b.target.label, b);
  });
  after(async () => {
    await dir.remove();
  });

  function builtFor(target: Target): Built {
    const b = built.get(target.label);
    assert.ok(b !== undefined);
    return b;
  }

  for (const target of TARGETS) {
    void it(`${target.label}: program and -shared library read as readelf reads them`, async () => {
      const b = builtFor(target);
      const files = [b.pie, b.library, ...(b.exec === undefined ? [] : [b.exec])];
      for (const path of files) {
        const view = await readelf(path);
        const info = await readDynamicFile(path);
        assert.deepEqual(info, expected(view), path);
        // A Buffer, and bytes at an odd offset inside a larger buffer, read the same.
        assert.deepEqual(parseDynamic(await readFile(path)), info);
        const bytes = await readBytes(path);
        const shifted = new Uint8Array(bytes.length + 11);
        shifted.set(bytes, 3);
        assert.deepEqual(parseDynamic(shifted.subarray(3, 3 + bytes.length)), info);
        assert.equal(info?.elfClass, target.elfClass);
      }

      const program = mustParse(await readBytes(b.pie));
      assert.ok(program.needed.includes('libkpkgdemo.so.1'));
      assert.equal(program.soname, undefined);
      const byName = new Map(program.imports.map((s) => [s.name, s]));
      assert.deepEqual(byName.get('kpkg_demo'), {
        name: 'kpkg_demo',
        version: 'KPKG_1.0',
        library: 'libkpkgdemo.so.1',
        weak: false,
      });
      assert.deepEqual(byName.get('kpkg_demo2'), {
        name: 'kpkg_demo2',
        version: 'KPKG_2.0',
        library: 'libkpkgdemo.so.1',
        weak: false,
      });
      assert.deepEqual(byName.get('kpkg_weak_demo'), {
        name: 'kpkg_weak_demo',
        version: 'KPKG_1.0',
        library: 'libkpkgdemo.so.1',
        weak: true,
      });
      // A weak reference nothing defines: kept, unversioned.
      assert.deepEqual(byName.get('kpkg_optional'), { name: 'kpkg_optional', weak: true });
      if (target.toolchain.hasLibc) {
        assert.ok(program.needed.includes('libc.so.6'));
        const printf = byName.get('printf');
        assert.equal(printf?.library, 'libc.so.6');
        assert.match(printf?.version ?? '', /^GLIBC_2\.\d+(\.\d+)?$/);
      }
      if (target.zlib === true) {
        assert.deepEqual(program.needed.slice(0, 2), ['libz.so.1', 'libkpkgdemo.so.1']);
        assert.ok(byName.has('zlibVersion'));
      }

      const library = mustParse(await readBytes(b.library));
      assert.equal(library.soname, 'libkpkgdemo.so.1');
      // Its own definitions are not imports.
      assert.ok(!library.imports.some((s) => s.name.startsWith('kpkg_')));
      if (target.toolchain.hasLibc) assert.equal(library.imports.find((s) => s.name === 'puts')?.library, 'libc.so.6');
    });
  }

  void it('an ET_REL object and a static executable have no dynamic info', async () => {
    const object = await dir.compile(GCC_TOOLCHAINS.host, { kind: 'object', source: PROGRAM_SOURCE });
    const armObject = await dir.compile(GCC_TOOLCHAINS.armhf, { kind: 'object', source: PROGRAM_SOURCE });
    const statik = await dir.compile(GCC_TOOLCHAINS.host, { kind: 'static' });
    assert.equal(await readDynamicFile(object), undefined);
    assert.equal(await readDynamicFile(armObject), undefined);
    assert.equal(await readDynamicFile(statik), undefined);
  });

  void it('reads system libraries (with .gnu.version_d too) and a system program like readelf', async () => {
    // Defined symbols' versions (.gnu.version_d) share the index space with the needed ones.
    const libraries = await Promise.all(
      ['libstdc++.so.6', 'libc.so.6'].map(async (name) =>
        (await run('gcc', [`-print-file-name=${name}`])).stdout.trim(),
      ),
    );
    for (const path of [...libraries, '/usr/bin/readelf']) {
      const view = await readelf(path);
      const info = await readDynamicFile(path);
      assert.deepEqual(info, expected(view), path);
      assert.ok((info?.imports.length ?? 0) > 0, path);
    }
  });

  void it('every cut of real binaries, and a hole anywhere in them, never throws and returns quickly', async () => {
    const started = performance.now();
    for (const target of [TARGETS[0], TARGETS[2], TARGETS[4], TARGETS[5]]) {
      assert.ok(target !== undefined);
      const bytes = await readBytes(builtFor(target).pie);
      const full = mustParse(bytes);
      for (let length = 0; length < bytes.length; length += 3) {
        const info = parseDynamic(bytes.subarray(0, length));
        assertWellFormed(info);
        // Section headers come last: without them, nothing.
        if (length < bytes.length - 64) assert.equal(info, undefined);
      }
      assert.deepEqual(parseDynamic(bytes.subarray(0, bytes.length)), full);
      // A hole (a zeroed or 0xff-filled 24-byte window) at every 8 bytes, section headers included.
      for (let at = 0; at < bytes.length; at += 8) {
        for (const fill of [0, 0xff]) {
          const holed = bytes.slice();
          holed.fill(fill, at, at + 24);
          assertWellFormed(parseDynamic(holed));
        }
      }
    }
    assert.ok(performance.now() - started < 3000, `took ${performance.now() - started} ms`);
  });

  void it('survives seeded random corruption of the dynamic data of real binaries', async () => {
    const started = performance.now();
    const random = prng(0x64796e);
    let parsed = 0;
    for (const target of TARGETS) {
      const path = builtFor(target).pie;
      const original = await readBytes(path);
      const view = await readelf(path);
      // Where damage matters: the ELF header, the section headers and the sections read.
      const regions = [
        { offset: 0, size: 64 },
        { offset: view.shoff, size: original.length - view.shoff },
        ...['.dynamic', '.dynsym', '.dynstr', '.gnu.version', '.gnu.version_r'].map((name) => sectionOf(view, name)),
      ];
      for (let i = 0; i < 600; i++) {
        const bytes = original.slice();
        const flips = 1 + Math.floor(random() * 6);
        for (let f = 0; f < flips; f++) {
          const region = regions[Math.floor(random() * regions.length)];
          assert.ok(region !== undefined);
          const at = region.offset + Math.floor(random() * region.size);
          const pick = random();
          bytes[at] = pick < 0.2 ? 0 : pick < 0.4 ? 0xff : Math.floor(random() * 256);
        }
        const info = parseDynamic(i % 5 === 0 ? bytes.subarray(0, Math.floor(random() * bytes.length)) : bytes);
        assertWellFormed(info);
        if (info !== undefined) parsed += 1;
      }
    }
    assert.ok(parsed > 100, `only ${parsed} damaged files still parsed`);
    assert.ok(performance.now() - started < 4000, `took ${performance.now() - started} ms`);
  });

  void it('survives targeted damage to headers, links, sizes and version chains', async () => {
    for (const target of [TARGETS[0], TARGETS[2], TARGETS[4], TARGETS[5]]) {
      assert.ok(target !== undefined);
      const path = builtFor(target).pie;
      const original = await readBytes(path);
      const view = await readelf(path);
      const full = mustParse(original);
      const is64 = target.elfClass === 64;
      const dynamic = sectionOf(view, '.dynamic');
      const dynsym = sectionOf(view, '.dynsym');
      const versym = sectionOf(view, '.gnu.version');
      const verneed = sectionOf(view, '.gnu.version_r');
      const patched = (patch: (p: SectionPatcher) => void): DynamicInfo | undefined => {
        const p = new SectionPatcher(original.slice(), view.shoff);
        patch(p);
        const started = performance.now();
        const info = parseDynamic(p.bytes);
        assert.ok(
          performance.now() - started < 200,
          `${target.label}: a damaged file took ${performance.now() - started} ms`,
        );
        assertWellFormed(info);
        return info;
      };
      const unversioned = full.imports.map((s) => ({ name: s.name, weak: s.weak }));

      // No section headers: e_shoff 0, or a 64-bit e_shoff beyond 2^53.
      assert.equal(
        patched((p) => p.setShoff(0)),
        undefined,
      );
      if (is64)
        assert.equal(
          patched((p) => p.setShoff(0xffff_ffff_ffff_ff00n)),
          undefined,
        );
      // Not EXEC or DYN (ET_REL, ET_CORE).
      for (const type of [1, 4])
        assert.equal(
          patched((p) => p.setU16(16, type)),
          undefined,
        );
      // e_shnum 0 with the count in section 0's sh_size (the >= SHN_LORESERVE form): same answer.
      const shnum = view.sections.size;
      assert.deepEqual(
        patched((p) => {
          p.setU16(is64 ? 60 : 48, 0);
          p.setSize(0, shnum);
        }),
        full,
      );
      // A section header table that does not fit, or entries smaller than a section header.
      assert.equal(
        patched((p) => p.setU16(is64 ? 60 : 48, 0xffff)),
        undefined,
      );
      assert.equal(
        patched((p) => p.setU16(is64 ? 58 : 46, 8)),
        undefined,
      );
      // No dynamic section.
      assert.equal(
        patched((p) => p.setType(dynamic.index, 1)),
        undefined,
      );
      // The dynamic section's strings are not a string table: no names, still the symbols.
      assert.deepEqual(
        patched((p) => p.setLink(dynamic.index, dynsym.index)),
        { ...full, needed: [] },
      );
      assert.deepEqual(
        patched((p) => p.setLink(dynamic.index, 0xffff_ffff)),
        { ...full, needed: [] },
      );
      // A dynamic section claiming to run past the end of the file: read up to DT_NULL as usual.
      assert.deepEqual(
        patched((p) => p.setSize(dynamic.index, is64 ? 2n ** 63n : 0xffff_fff0)),
        full,
      );
      // Symbol table damage: absurd size is cut to the file; sh_entsize 0 means the ABI size;
      // an sh_entsize smaller than a symbol is refused.
      const bigSym = patched((p) => p.setSize(dynsym.index, is64 ? 2n ** 62n : 0xffff_fff0));
      assert.ok(bigSym !== undefined && full.imports.every((s) => bigSym.imports.some((t) => t.name === s.name)));
      assert.deepEqual(
        patched((p) => p.setEntsize(dynsym.index, 0)),
        full,
      );
      assert.deepEqual(
        patched((p) => p.setEntsize(dynsym.index, 3)),
        { ...full, imports: [] },
      );
      // Without .gnu.version, or without .gnu.version_r, every import is unversioned.
      assert.deepEqual(
        patched((p) => p.setType(versym.index, 1)),
        { ...full, imports: unversioned },
      );
      assert.deepEqual(
        patched((p) => p.setType(verneed.index, 1)),
        { ...full, imports: unversioned },
      );
      // sh_info 0: no Verneed entries are read.
      assert.deepEqual(
        patched((p) => p.setInfo(verneed.index, 0)),
        { ...full, imports: unversioned },
      );
      // A huge sh_info with well-formed chains changes nothing.
      assert.deepEqual(
        patched((p) => p.setInfo(verneed.index, 0xffff_ffff)),
        full,
      );

      // Version chains whose next offsets wrap around in 32-bit arithmetic (a C reader would loop
      // over the same entry), and counts far beyond the section: they stop, keeping what was read.
      const first = verneed.offset;
      const firstAux = first + new SectionPatcher(original, view.shoff).u32(first + 8);
      const looped = patched((p) => {
        p.setInfo(verneed.index, 0xffff_ffff);
        p.setU16(first + 2, 0xffff); // vn_cnt
        p.setU32(first + 12, 0); // vn_next 0: the end, whatever sh_info says
        p.setU32(firstAux + 12, 0xffff_fff0); // vna_next: -16 in 32-bit arithmetic
      });
      assert.ok(looped !== undefined);
      assert.ok(
        looped.imports.some((s) => s.version !== undefined),
        'the first Vernaux still counts',
      );
      const selfLoop = patched((p) => {
        p.setInfo(verneed.index, 0xffff_ffff);
        p.setU16(first + 2, 0xffff);
        p.setU32(first + 12, 0xffff_fff0);
        p.setU32(firstAux + 12, 0xffff_fff0);
      });
      assert.ok(selfLoop !== undefined);
      // Overlapping entries (next offsets of 1 byte) with the largest counts: bounded by the section size.
      const overlapping = patched((p) => {
        p.setInfo(verneed.index, 0xffff_ffff);
        for (let at = verneed.offset; at + 16 <= verneed.offset + verneed.size; at += 16) {
          p.setU32(at + 12, 1);
          p.setU16(at + 2, 0xffff);
        }
      });
      assert.ok(overlapping !== undefined);
      // vn_aux pointing outside the section: that Verneed's versions are lost, nothing else.
      const badAux = patched((p) => p.setU32(first + 8, 0x7fff_ffff));
      assert.ok(badAux !== undefined && badAux.needed.length === full.needed.length);
      // Version name and file offsets outside .dynstr: those versions are dropped.
      const badNames = patched((p) => {
        for (let at = verneed.offset; at + 16 <= verneed.offset + verneed.size; at += 16) p.setU32(at + 8, 0xffff_fff0);
      });
      assert.ok(badNames !== undefined && badNames.imports.length === full.imports.length);
      // A .dynstr with no terminating NUL: no strings read past its end.
      const dynstr = sectionOf(view, '.dynstr');
      const unterminated = patched((p) => p.bytes.fill(0x41, dynstr.offset, dynstr.offset + dynstr.size));
      assert.deepEqual(unterminated, { needed: [], imports: [], elfClass: full.elfClass });
    }
  });
});
