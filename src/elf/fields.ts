/** The field readers both ELF parsers share (elf.ts: headers and PT_INTERP; dynamic.ts: sections). */
export type ElfClass = 32 | 64;

/** Reads unsigned integers of either width and byte order; 64-bit values beyond 2^53 become Infinity. */
export class FieldReader {
  private readonly view: DataView;

  constructor(
    bytes: Uint8Array,
    private readonly little: boolean,
    readonly elfClass: ElfClass,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A reader of other bytes (a section's) of the same file: same class and byte order. */
  over(bytes: Uint8Array): FieldReader {
    return new FieldReader(bytes, this.little, this.elfClass);
  }

  u8(at: number): number {
    return this.view.getUint8(at);
  }

  u16(at: number): number {
    return this.view.getUint16(at, this.little);
  }

  u32(at: number): number {
    return this.view.getUint32(at, this.little);
  }

  /** A 32- or 64-bit address/offset/size field, by the file's class. */
  word(at: number): number {
    if (this.elfClass === 32) return this.u32(at);
    const v = this.view.getBigUint64(at, this.little);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
  }
}

/** Whether [offset, offset+length) lies inside a file of `size` bytes (Infinity-safe). */
export function fits(offset: number, length: number, size: number): boolean {
  return offset <= size && length <= size - offset;
}
