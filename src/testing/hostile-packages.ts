/**
 * Test helper (not used by kpkg itself): packages built to make `kpkg verify` hold or do too much —
 * huge line and entry counts, deep and wide trees, thousands of headers trees — small on disk
 * (gzip-compressed, made in memory by kpkg's own tar and ar writers). The budget tests
 * (src/reader/limits*.test.ts, src/verify/budgets.slow.test.ts) and the fuzzer's seeds use them.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { ArWriter } from '../archive/ar.js';
import { tarStream, type TarEntry } from '../archive/tar.js';

const MTIME = 1700000000;

export async function tarBytes(entries: Iterable<TarEntry>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream([...entries])) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function fileEntry(name: string, data: Uint8Array | string, mode = 0o644): TarEntry {
  const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.from(data);
  return { type: 'file', name, mode, mtime: MTIME, size: bytes.length, content: { from: 'bytes', data: bytes } };
}

export function dirEntry(name: string): TarEntry {
  return { type: 'dir', name, mode: 0o755, mtime: MTIME };
}

export const CONTROL =
  'Package: hostile\nVersion: 1\nArchitecture: arm64\nMaintainer: x <x@x.invalid>\nDescription: x\n';

export interface DebParts {
  /** The control file's text (default CONTROL). */
  control?: string;
  /** md5sums text, when there is one. */
  md5sums?: string;
  /** conffiles text, when there is one. */
  conffiles?: string;
  /** The data tar's entries. */
  data: Iterable<TarEntry>;
}

/** A .deb (control.tar.gz, data.tar.gz) written with kpkg's own writers. */
export async function writeDeb(path: string, parts: DebParts): Promise<string> {
  const controlFiles = [fileEntry('./control', parts.control ?? CONTROL)];
  if (parts.md5sums !== undefined) controlFiles.push(fileEntry('./md5sums', parts.md5sums));
  if (parts.conffiles !== undefined) controlFiles.push(fileEntry('./conffiles', parts.conffiles));
  const control = gzipSync(await tarBytes(controlFiles));
  const data = gzipSync(await tarBytes(parts.data));
  const out = createWriteStream(path);
  const ar = new ArWriter(out);
  await ar.add({ name: 'debian-binary', size: 4, mtime: MTIME }, Buffer.from('2.0\n'));
  await ar.add({ name: 'control.tar.gz', size: control.length, mtime: MTIME }, control);
  await ar.add({ name: 'data.tar.gz', size: data.length, mtime: MTIME }, data);
  await ar.end();
  return path;
}

/** A gzip-compressed tar (a pacman package when it holds .PKGINFO). */
export async function writeTarGz(path: string, entries: Iterable<TarEntry>): Promise<string> {
  await writeFile(path, gzipSync(await tarBytes(entries)));
  return path;
}

/** A .PKGINFO declaring `depends` depend lines. */
export function pkginfoWithDepends(depends: number): string {
  const lines = ['pkgname = hostile', 'pkgver = 1-1', 'arch = aarch64'];
  for (let i = 0; i < depends; i++) lines.push(`depend = lib${i}`);
  return `${lines.join('\n')}\n`;
}

/** A control file whose Description goes on for `lines` continuation lines. */
export function controlWithContinuations(lines: number): string {
  return `${CONTROL}${' x\n'.repeat(lines)}`;
}

/** An md5sums of `lines` lines naming files that are not there. */
export function md5sumsOfLines(lines: number): string {
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) parts.push(`d41d8cd98f00b204e9800998ecf8427e  f${i}\n`);
  return parts.join('');
}

/**
 * A tiny ELF64 little-endian shared object for `machine` (183 AArch64, 62 x86-64) with a .dynamic
 * section naming `needed` (DT_NEEDED) and no code: what verify's prerequisites check reads.
 */
export function neededElf(machine: number, needed: readonly string[]): Buffer {
  const strtab = Buffer.concat([Buffer.from([0]), ...needed.map((n) => Buffer.from(`${n}\0`))]);
  const dynamic = Buffer.alloc((needed.length + 1) * 16);
  let offset = 1;
  needed.forEach((name, i) => {
    dynamic.writeBigUInt64LE(1n, i * 16); // DT_NEEDED
    dynamic.writeBigUInt64LE(BigInt(offset), i * 16 + 8);
    offset += Buffer.byteLength(name) + 1;
  });
  const strAt = 64;
  const dynAt = strAt + strtab.length;
  const shoff = dynAt + dynamic.length;
  const header = Buffer.alloc(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  header.writeUInt16LE(3, 16); // ET_DYN
  header.writeUInt16LE(machine, 18);
  header.writeUInt32LE(1, 20);
  header.writeBigUInt64LE(BigInt(shoff), 40);
  header.writeUInt16LE(64, 52);
  header.writeUInt16LE(64, 58);
  header.writeUInt16LE(3, 60);
  const sections = Buffer.alloc(3 * 64);
  const section = (i: number, type: number, at: number, size: number, link: number, entsize: number): void => {
    sections.writeUInt32LE(type, i * 64 + 4);
    sections.writeBigUInt64LE(BigInt(at), i * 64 + 24);
    sections.writeBigUInt64LE(BigInt(size), i * 64 + 32);
    sections.writeUInt32LE(link, i * 64 + 40);
    sections.writeBigUInt64LE(BigInt(entsize), i * 64 + 56);
  };
  section(1, 3, strAt, strtab.length, 0, 0); // SHT_STRTAB
  section(2, 6, dynAt, dynamic.length, 1, 16); // SHT_DYNAMIC
  return Buffer.concat([header, strtab, dynamic, sections]);
}

/** `count` tiny AArch64 shared objects needing libc.so.6, in one directory. */
export function* elfFiles(count: number, dir = './usr/lib/hostile'): Generator<TarEntry> {
  const elf = neededElf(183, ['libc.so.6']);
  yield dirEntry(`${dir}/`);
  for (let i = 0; i < count; i++) yield fileEntry(`${dir}/f${i}.so`, elf, 0o755);
}

/** `count` directories, each a headers tree of its own (a Module.symvers in it). */
export function* symversTrees(count: number): Generator<TarEntry> {
  yield dirEntry('./usr/src/');
  for (let i = 0; i < count; i++) {
    yield dirEntry(`./usr/src/t${i}/`);
    yield fileEntry(`./usr/src/t${i}/Module.symvers`, '');
  }
}

/** `count` empty files in one directory: the cheapest members there are. */
export function* emptyFiles(count: number, dir = './usr/share/hostile'): Generator<TarEntry> {
  yield dirEntry(`${dir}/`);
  for (let i = 0; i < count; i++) yield fileEntry(`${dir}/${i}`, '');
}
