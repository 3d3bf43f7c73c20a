/**
 * A small, defensive ELF header reader: e_ident, e_type, e_machine, e_flags and PT_INTERP.
 *
 * It never throws on what a file contains (empty, cut short, garbage): every such case is a
 * value of ElfReadResult. Only failing to open or read a file at all throws (KpkgError).
 */
import { constants as fsConstants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { KpkgError } from '../util/errors.js';
import { FieldReader, fits, type ElfClass } from './fields.js';

export type { ElfClass } from './fields.js';
export type Endianness = 'little' | 'big';
export type ElfType = 'NONE' | 'REL' | 'EXEC' | 'DYN' | 'CORE' | 'OTHER';

export interface ElfInfo {
  class: ElfClass;
  endian: Endianness;
  osabi: number;
  type: ElfType;
  rawType: number;
  /** e_machine */
  machine: number;
  /** 'AArch64', 'x86-64', 'RISC-V', ... or `machine 0x..` for machines kpkg has no name for. */
  machineName: string;
  /** e_flags */
  flags: number;
  /** PT_INTERP contents without the trailing NUL, when the file has one. */
  interpreter?: string;
}

export type ElfReadResult =
  | { kind: 'elf'; elf: ElfInfo }
  | { kind: 'not-elf' }
  | { kind: 'truncated'; reason: string }
  | { kind: 'invalid'; reason: string };

/** e_machine values kpkg cares about (from the System V ABI / glibc's elf.h). */
export const EM_386 = 3;
export const EM_MIPS = 8;
export const EM_PPC = 20;
export const EM_PPC64 = 21;
export const EM_S390 = 22;
export const EM_ARM = 40;
export const EM_X86_64 = 62;
export const EM_AARCH64 = 183;
export const EM_RISCV = 243;
export const EM_LOONGARCH = 258;

const MACHINE_NAMES: ReadonlyMap<number, string> = new Map([
  [EM_386, 'Intel 80386'],
  [EM_MIPS, 'MIPS'],
  [EM_PPC, 'PowerPC'],
  [EM_PPC64, 'PowerPC64'],
  [EM_S390, 'S390'],
  [EM_ARM, 'ARM'],
  [EM_X86_64, 'x86-64'],
  [EM_AARCH64, 'AArch64'],
  [EM_RISCV, 'RISC-V'],
  [EM_LOONGARCH, 'LoongArch'],
]);

/** Human name of an e_machine value; `machine 0x..` (lowercase hex) when kpkg has none. */
export function machineName(machine: number): string {
  return MACHINE_NAMES.get(machine) ?? `machine 0x${machine.toString(16)}`;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46] as const; // "\x7fELF"

export function isElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Longest PT_INTERP accepted; real ones are a few dozen bytes (PATH_MAX is 4096). */
export const MAX_INTERP_LENGTH = 4096;
/** Largest program header table read; thousands of segments (core files) still fit. */
export const MAX_PHDR_TABLE_BYTES = 4 * 1024 * 1024;

const PT_INTERP = 3;
/** e_phnum value meaning "the real count is in sh_info of section header 0". */
const PN_XNUM = 0xffff;

interface Layout {
  headerSize: number;
  phdrSize: number;
  shdrSize: number;
}

const LAYOUT: Readonly<Record<ElfClass, Layout>> = {
  32: { headerSize: 52, phdrSize: 32, shdrSize: 40 },
  64: { headerSize: 64, phdrSize: 56, shdrSize: 64 },
};

/** A request for `length` bytes at `offset`; the parser only asks for ranges inside the file. */
interface ByteRange {
  offset: number;
  length: number;
}

/**
 * The parser is written once, as a generator that yields the byte ranges it needs and receives
 * their contents. parseElf answers from a buffer, readElfFile with bounded reads from a file,
 * so both share every check. Each range is validated against the file size before it is asked.
 */
type ParseSteps = Generator<ByteRange, ElfReadResult, Uint8Array>;

function elfTypeOf(raw: number): ElfType {
  switch (raw) {
    case 0:
      return 'NONE';
    case 1:
      return 'REL';
    case 2:
      return 'EXEC';
    case 3:
      return 'DYN';
    case 4:
      return 'CORE';
    default:
      return 'OTHER';
  }
}

function truncated(reason: string): ElfReadResult {
  return { kind: 'truncated', reason };
}

function invalid(reason: string): ElfReadResult {
  return { kind: 'invalid', reason };
}

function decodeInterp(bytes: Uint8Array): string {
  // The kernel (fs/binfmt_elf.c) treats PT_INTERP as a C string: stop at the first NUL.
  const nul = bytes.indexOf(0);
  const text = nul === -1 ? bytes : bytes.subarray(0, nul);
  return new TextDecoder('utf-8', { fatal: false }).decode(text);
}

function* parseSteps(fileSize: number): ParseSteps {
  const identLength = Math.min(fileSize, 64);
  const head = yield { offset: 0, length: identLength };
  if (!isElfMagic(head)) return { kind: 'not-elf' };
  if (head.length < 6) return truncated(`only ${head.length} bytes after the ELF magic`);

  const classByte = head[4];
  const dataByte = head[5];
  if (classByte !== 1 && classByte !== 2) return invalid(`bad ELF class byte ${classByte ?? '?'}`);
  if (dataByte !== 1 && dataByte !== 2) return invalid(`bad ELF data (byte order) byte ${dataByte ?? '?'}`);
  const elfClass: ElfClass = classByte === 1 ? 32 : 64;
  const endian: Endianness = dataByte === 1 ? 'little' : 'big';
  const layout = LAYOUT[elfClass];
  if (head.length < layout.headerSize) {
    return truncated(`ELF${elfClass} header needs ${layout.headerSize} bytes, file has ${head.length}`);
  }

  const r = new FieldReader(head, endian === 'little', elfClass);
  const is64 = elfClass === 64;
  const rawType = r.u16(16);
  const machine = r.u16(18);
  const phoff = r.word(is64 ? 32 : 28);
  const shoff = r.word(is64 ? 40 : 32);
  const flags = r.u32(is64 ? 48 : 36);
  const phentsize = r.u16(is64 ? 54 : 42);
  let phnum = r.u16(is64 ? 56 : 44);
  const shentsize = r.u16(is64 ? 58 : 46);

  const elf: ElfInfo = {
    class: elfClass,
    endian,
    osabi: head[7] ?? 0,
    type: elfTypeOf(rawType),
    rawType,
    machine,
    machineName: machineName(machine),
    flags,
  };

  if (phnum === PN_XNUM) {
    // More than 0xfffe segments: the real count lives in section header 0 (sh_info).
    if (shentsize < layout.shdrSize) return invalid(`e_phnum is PN_XNUM but e_shentsize is ${shentsize}`);
    if (!fits(shoff, layout.shdrSize, fileSize))
      return truncated(`section header 0 at offset ${shoff} is past the end of the file`);
    const shdr0 = yield { offset: shoff, length: layout.shdrSize };
    if (shdr0.length < layout.shdrSize) return truncated('file shrank while reading section header 0');
    phnum = r.over(shdr0).u32(is64 ? 44 : 28);
  }

  if (phnum === 0) return { kind: 'elf', elf };
  if (phentsize < layout.phdrSize) {
    return invalid(`e_phentsize ${phentsize} is smaller than an ELF${elfClass} program header (${layout.phdrSize})`);
  }
  const tableBytes = phnum * phentsize;
  if (tableBytes > MAX_PHDR_TABLE_BYTES) {
    return invalid(`absurd program header table: ${phnum} entries of ${phentsize} bytes`);
  }
  if (phoff < layout.headerSize) return invalid(`program headers at offset ${phoff} overlap the ELF header`);
  if (!fits(phoff, tableBytes, fileSize)) {
    return truncated(
      `program header table (${tableBytes} bytes at offset ${phoff}) runs past the end of the file (${fileSize} bytes)`,
    );
  }

  const table = yield { offset: phoff, length: tableBytes };
  if (table.length < tableBytes) return truncated('file shrank while reading the program headers');
  const t = r.over(table);
  for (let i = 0; i < phnum; i++) {
    const at = i * phentsize;
    if (t.u32(at) !== PT_INTERP) continue;
    const offset = t.word(at + (is64 ? 8 : 4));
    const size = t.word(at + (is64 ? 32 : 16));
    if (size === 0) return invalid('PT_INTERP segment is empty');
    if (size > MAX_INTERP_LENGTH) return invalid(`PT_INTERP of ${size} bytes is longer than ${MAX_INTERP_LENGTH}`);
    if (!fits(offset, size, fileSize)) {
      return truncated(
        `PT_INTERP (${size} bytes at offset ${offset}) runs past the end of the file (${fileSize} bytes)`,
      );
    }
    const interp = yield { offset, length: size };
    if (interp.length < size) return truncated('file shrank while reading PT_INTERP');
    // Like the kernel, only the first PT_INTERP counts.
    return { kind: 'elf', elf: { ...elf, interpreter: decodeInterp(interp) } };
  }
  return { kind: 'elf', elf };
}

/** Parses ELF identity and PT_INTERP from a whole file's bytes (or as much of it as you have). */
export function parseElf(bytes: Uint8Array): ElfReadResult {
  const steps = parseSteps(bytes.length);
  let step = steps.next(new Uint8Array(0));
  while (step.done !== true) {
    const { offset, length } = step.value;
    step = steps.next(bytes.subarray(offset, offset + length));
  }
  return step.value;
}

async function readRange(file: FileHandle, range: ByteRange): Promise<Uint8Array> {
  const buffer = new Uint8Array(range.length);
  let filled = 0;
  while (filled < range.length) {
    const { bytesRead } = await file.read(buffer, filled, range.length - filled, range.offset + filled);
    if (bytesRead === 0) break; // end of file: the parser sees a short range and reports truncation
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

/**
 * Opens `path` as a regular file for `read` (given the open file and its size) and closes it.
 * Throws KpkgError only when the path cannot be opened or read, or is not a regular file —
 * `what` names what was being read, e.g. "ELF header".
 */
export async function withRegularFile<T>(
  path: string,
  what: string,
  read: (file: FileHandle, size: number) => Promise<T>,
): Promise<T> {
  let file: FileHandle;
  try {
    // O_NONBLOCK so that a FIFO does not block the open; it is then refused as not a regular file.
    file = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (cause) {
    throw new KpkgError(`cannot open ${path} to read its ${what}: ${errorText(cause)}`, { where: path, cause });
  }
  try {
    const stat = await file.stat();
    if (!stat.isFile()) throw new KpkgError(`${path} is not a regular file, cannot read its ${what}`, { where: path });
    return await read(file, stat.size);
  } catch (cause) {
    if (cause instanceof KpkgError) throw cause;
    throw new KpkgError(`cannot read the ${what} of ${path}: ${errorText(cause)}`, { where: path, cause });
  } finally {
    await file.close();
  }
}

/**
 * Reads only what is needed (ELF header, program headers, interp string) with bounded reads
 * from an open file; never loads whole big files. Throws KpkgError only when the path cannot be
 * opened or read, or is not a regular file; anything about its contents is a result.
 */
export function readElfFile(path: string): Promise<ElfReadResult> {
  return withRegularFile(path, 'ELF header', async (file, size) => {
    const steps = parseSteps(size);
    let step = steps.next(new Uint8Array(0));
    while (step.done !== true) {
      step = steps.next(await readRange(file, step.value));
    }
    return step.value;
  });
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
