/**
 * Encodes an rpm header structure the way rpm 4.18 writes one after headerReload()
 * (lib/header.c: doExport, hdrblobImport's "legacy region" path):
 *
 *   magic 8e ad e8 01, 4 zero bytes, index count and data size (big-endian 32-bit),
 *   the index: 16-byte entries (tag, type, offset, count), the region tag first, then the
 *   others by ascending tag;
 *   the data store: each tag's data in tag order, integers big-endian and aligned to their
 *   size (zero-filled gaps), strings NUL-terminated, then a 16-byte region trailer.
 *
 * The region (62 for the signature header, 63 "immutable" for the main one) is what rpm ≥ 4
 * verifies digests over. Its index entry is (tag, BIN, offset of the trailer, 16); the trailer is
 * (tag, BIN, -16 × number of index entries, 16) — the negative offset says the region spans the
 * whole index.
 */
import { RPM_HEADER_MAGIC, RPM_MAX_DATA, RPM_MAX_TAGS, RPM_TYPE, RPMTAG } from '../../archive/rpm.js';
import { KpkgError } from '../../util/errors.js';

interface NumberValue {
  type: typeof RPM_TYPE.INT16 | typeof RPM_TYPE.INT32 | typeof RPM_TYPE.INT64;
  values: readonly number[];
}
interface StringValue {
  type: typeof RPM_TYPE.STRING | typeof RPM_TYPE.I18NSTRING | typeof RPM_TYPE.STRING_ARRAY;
  values: readonly string[];
}
type Value = NumberValue | StringValue | { type: typeof RPM_TYPE.BIN; bytes: Uint8Array };

function isStringValue(value: NumberValue | StringValue): value is StringValue {
  return value.type === RPM_TYPE.STRING || value.type === RPM_TYPE.I18NSTRING || value.type === RPM_TYPE.STRING_ARRAY;
}

const LIMIT: Readonly<Record<number, number>> = {
  [RPM_TYPE.INT16]: 0xffff,
  [RPM_TYPE.INT32]: 0xffffffff,
  [RPM_TYPE.INT64]: Number.MAX_SAFE_INTEGER,
};
const WIDTH: Readonly<Record<number, number>> = { [RPM_TYPE.INT16]: 2, [RPM_TYPE.INT32]: 4, [RPM_TYPE.INT64]: 8 };

/** Collects tags, then encodes them as one region. Setting a tag twice is a bug. */
export class HeaderBuilder {
  readonly #tags = new Map<number, Value>();

  #set(tag: number, value: Value): this {
    if (this.#tags.has(tag)) throw new Error(`rpm header: tag ${tag} set twice`);
    this.#tags.set(tag, value);
    return this;
  }

  has(tag: number): boolean {
    return this.#tags.has(tag);
  }

  string(tag: number, value: string): this {
    return this.#set(tag, { type: RPM_TYPE.STRING, values: [value] });
  }

  /** A translatable string (SUMMARY, DESCRIPTION, GROUP): one value, for locale "C". */
  i18nString(tag: number, value: string): this {
    return this.#set(tag, { type: RPM_TYPE.I18NSTRING, values: [value] });
  }

  strings(tag: number, values: readonly string[]): this {
    return this.#set(tag, { type: RPM_TYPE.STRING_ARRAY, values });
  }

  int16(tag: number, values: readonly number[]): this {
    return this.#set(tag, { type: RPM_TYPE.INT16, values });
  }

  int32(tag: number, values: readonly number[]): this {
    return this.#set(tag, { type: RPM_TYPE.INT32, values });
  }

  int64(tag: number, values: readonly number[]): this {
    return this.#set(tag, { type: RPM_TYPE.INT64, values });
  }

  binary(tag: number, bytes: Uint8Array): this {
    return this.#set(tag, { type: RPM_TYPE.BIN, bytes });
  }

  /**
   * The header bytes, magic included, with `regionTag` (RPMTAG.HEADERSIGNATURES or
   * HEADERIMMUTABLE). An I18NSTRING makes the locale table ["C"] appear, as rpmbuild's does.
   */
  encode(regionTag: number): Buffer {
    const tags = new Map(this.#tags);
    if ([...tags.values()].some((v) => v.type === RPM_TYPE.I18NSTRING) && !tags.has(RPMTAG.HEADERI18NTABLE)) {
      tags.set(RPMTAG.HEADERI18NTABLE, { type: RPM_TYPE.STRING_ARRAY, values: ['C'] });
    }
    const sorted = [...tags.entries()].sort(([a], [b]) => a - b);
    const count = sorted.length + 1;
    if (count > RPM_MAX_TAGS)
      throw new KpkgError(`the rpm header would have ${count} tags, more than rpm accepts (${RPM_MAX_TAGS})`);
    const index = Buffer.alloc(count * 16);
    const data: Buffer[] = [];
    let size = 0;
    sorted.forEach(([tag, value], i) => {
      const encoded = encodeValue(tag, value);
      const align = WIDTH[value.type] ?? 1;
      const gap = (align - (size % align)) % align;
      if (gap > 0) data.push(Buffer.alloc(gap));
      size += gap;
      const at = (i + 1) * 16;
      index.writeUInt32BE(tag, at);
      index.writeUInt32BE(value.type, at + 4);
      index.writeUInt32BE(size, at + 8);
      index.writeUInt32BE(valueCount(value), at + 12);
      data.push(encoded);
      size += encoded.length;
    });
    const trailer = Buffer.alloc(16);
    trailer.writeUInt32BE(regionTag, 0);
    trailer.writeUInt32BE(RPM_TYPE.BIN, 4);
    trailer.writeInt32BE(-16 * count, 8);
    trailer.writeUInt32BE(16, 12);
    index.writeUInt32BE(regionTag, 0);
    index.writeUInt32BE(RPM_TYPE.BIN, 4);
    index.writeUInt32BE(size, 8);
    index.writeUInt32BE(16, 12);
    size += 16;
    if (size > RPM_MAX_DATA)
      throw new KpkgError(`the rpm header would hold ${size} bytes of data, more than rpm accepts (${RPM_MAX_DATA})`, {
        hint: 'split the package: rpm cannot list this many files in one header',
      });
    const intro = Buffer.alloc(16);
    RPM_HEADER_MAGIC.copy(intro, 0);
    intro.writeUInt32BE(count, 8);
    intro.writeUInt32BE(size, 12);
    return Buffer.concat([intro, index, ...data, trailer]);
  }
}

function valueCount(value: Value): number {
  return value.type === RPM_TYPE.BIN ? value.bytes.length : value.values.length;
}

function encodeValue(tag: number, value: Value): Buffer {
  if (value.type === RPM_TYPE.BIN) return Buffer.from(value.bytes);
  if (value.values.length === 0) throw new Error(`rpm header: tag ${tag} has no values`);
  if (isStringValue(value)) {
    for (const s of value.values) {
      if (s.includes('\0'))
        throw new KpkgError(`rpm header tag ${tag}: ${JSON.stringify(s.slice(0, 60))} contains a NUL character`);
    }
    return Buffer.from(`${value.values.join('\0')}\0`, 'utf8');
  }
  const width = WIDTH[value.type] ?? 4;
  const limit = LIMIT[value.type] ?? 0;
  const numbers = value.values;
  const out = Buffer.alloc(width * numbers.length);
  numbers.forEach((n, i) => {
    if (!Number.isSafeInteger(n) || n < 0 || n > limit)
      throw new KpkgError(`rpm header tag ${tag}: ${n} does not fit its ${width * 8}-bit field`);
    if (width === 2) out.writeUInt16BE(n, i * 2);
    else if (width === 4) out.writeUInt32BE(n, i * 4);
    else out.writeBigUInt64BE(BigInt(n), i * 8);
  });
  return out;
}
