/**
 * The GNU build ID of an ELF file (the NT_GNU_BUILD_ID note that `ld --build-id` writes and
 * `readelf -n` prints as "Build ID: <hex>"), read from the section headers so that relocatable
 * files — kernel modules are ET_REL, without program headers — are covered too.
 */
import { readFile } from 'node:fs/promises';
import { KpkgError } from '../../util/errors.js';

const SHT_NOTE = 7;
const NT_GNU_BUILD_ID = 3;
/** e_shnum value meaning "the real count is in sh_size of section header 0" (extended numbering). */
const SHN_UNDEF_COUNT = 0;

/** The build ID as lowercase hex, or undefined when the file is not ELF or has no build ID note. */
export function buildIdOf(bytes: Uint8Array): string | undefined {
  if (bytes.length < 64 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    return undefined;
  const is64 = bytes[4] === 2;
  const little = bytes[5] === 1;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, little);
  const u32 = (at: number): number => view.getUint32(at, little);
  const word = (at: number): number => (is64 ? Number(view.getBigUint64(at, little)) : u32(at));
  const inFile = (offset: number, length: number): boolean =>
    offset >= 0 && length >= 0 && offset + length <= bytes.length;

  const shoff = word(is64 ? 40 : 32);
  const shentsize = u16(is64 ? 58 : 46);
  let shnum = u16(is64 ? 60 : 48);
  if (shoff === 0 || shentsize < (is64 ? 64 : 40)) return undefined;
  if (shnum === SHN_UNDEF_COUNT) {
    if (!inFile(shoff, shentsize)) return undefined;
    shnum = word(shoff + (is64 ? 32 : 20));
  }
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    if (!inFile(sh, shentsize)) return undefined;
    if (u32(sh + 4) !== SHT_NOTE) continue;
    const offset = word(sh + (is64 ? 24 : 16));
    const size = word(sh + (is64 ? 32 : 20));
    const align = word(sh + (is64 ? 48 : 32)) === 8 ? 8 : 4;
    if (!inFile(offset, size)) continue;
    const found = buildIdInNotes(bytes.subarray(offset, offset + size), align, little);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Walks the notes of one SHT_NOTE section: namesz, descsz, type, then name and desc, each padded to `align`. */
function buildIdInNotes(notes: Uint8Array, align: number, little: boolean): string | undefined {
  const view = new DataView(notes.buffer, notes.byteOffset, notes.byteLength);
  const pad = (n: number): number => Math.ceil(n / align) * align;
  let at = 0;
  while (at + 12 <= notes.length) {
    const namesz = view.getUint32(at, little);
    const descsz = view.getUint32(at + 4, little);
    const type = view.getUint32(at + 8, little);
    const nameAt = at + 12;
    const descAt = nameAt + pad(namesz);
    if (descAt + descsz > notes.length) return undefined;
    const name = Buffer.from(notes.subarray(nameAt, nameAt + namesz)).toString('latin1');
    if (type === NT_GNU_BUILD_ID && name === 'GNU\0' && descsz > 0) {
      return Buffer.from(notes.subarray(descAt, descAt + descsz)).toString('hex');
    }
    at = descAt + pad(descsz);
  }
  return undefined;
}

export async function readBuildId(path: string): Promise<string | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new KpkgError(
      `cannot read ${path} for its build ID: ${cause instanceof Error ? cause.message : String(cause)}`,
      { where: path, cause },
    );
  }
  return buildIdOf(bytes);
}
