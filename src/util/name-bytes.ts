/**
 * File and member names are bytes; kpkg handles them as strings that keep every byte. A name that
 * is valid UTF-8 decodes as usual; each byte that is not part of a valid UTF-8 sequence becomes the
 * lone surrogate U+DC00 + byte (U+DC80…U+DCFF, Python's "surrogateescape"), which no valid UTF-8
 * decodes to. So two different byte names are never the same string, and encodeName gives back the
 * bytes: `t\xff` and `t\xfe` stay two names (where Buffer's decoding makes both `t\ufffd`).
 */
import { isUtf8 } from 'node:buffer';

/** The first of the code units that stand for a byte that is not UTF-8 (bytes 0x80…0xff; ASCII is always valid). */
const ESCAPED_BYTE_BASE = 0xdc00;

/** A lone U+DC80…U+DCFF: a byte that was not UTF-8 (the `u` flag keeps surrogate pairs whole). */
const ESCAPED_BYTE = /[\udc80-\udcff]/u;

/** The length of the well-formed UTF-8 sequence at `at` (Unicode Table 3-7), or 0 when there is none. */
function sequenceLength(bytes: Uint8Array, at: number): number {
  const lead = bytes[at] ?? 0;
  const continues = (offset: number, low = 0x80, high = 0xbf): boolean => {
    const byte = bytes[at + offset];
    return byte !== undefined && byte >= low && byte <= high;
  };
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return continues(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const [low, high] = lead === 0xe0 ? [0xa0, 0xbf] : lead === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return continues(1, low, high) && continues(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const [low, high] = lead === 0xf0 ? [0x90, 0xbf] : lead === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return continues(1, low, high) && continues(2) && continues(3) ? 4 : 0;
  }
  return 0;
}

/** The code point of the well-formed sequence of `length` bytes at `at`. */
function codePointAt(bytes: Uint8Array, at: number, length: number): number {
  const lead = bytes[at] ?? 0;
  let code = length === 1 ? lead : lead & (0xff >> (length + 1));
  for (let i = 1; i < length; i++) code = (code << 6) | ((bytes[at + i] ?? 0) & 0x3f);
  return code;
}

/** String.fromCharCode takes its arguments on the stack: this many at a time. */
const CODE_UNITS_PER_CALL = 8192;

/**
 * Decodes text that is not valid UTF-8: valid sequences as characters, every other byte escaped.
 * Linear in the length, however many bytes are escaped (an md5sums of 32 MiB of them included).
 */
function decodeWithEscapes(bytes: Uint8Array): string {
  const units = new Uint16Array(bytes.length); // never more UTF-16 units than bytes
  let count = 0;
  for (let at = 0; at < bytes.length;) {
    const length = sequenceLength(bytes, at);
    if (length === 0) {
      units[count++] = ESCAPED_BYTE_BASE + (bytes[at++] ?? 0);
      continue;
    }
    const code = codePointAt(bytes, at, length);
    at += length;
    if (code < 0x10000) {
      units[count++] = code;
    } else {
      units[count++] = 0xd800 + ((code - 0x10000) >> 10);
      units[count++] = 0xdc00 + ((code - 0x10000) & 0x3ff);
    }
  }
  const parts: string[] = [];
  for (let from = 0; from < count; from += CODE_UNITS_PER_CALL)
    parts.push(String.fromCharCode(...units.subarray(from, Math.min(count, from + CODE_UNITS_PER_CALL))));
  return parts.join('');
}

/** The name `bytes` hold, every byte kept (see the top of this file). A leading BOM is part of the name. */
export function decodeName(bytes: Uint8Array): string {
  if (isUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return decodeWithEscapes(bytes);
}

/** The bytes of a name decodeName made: UTF-8, with each escaped byte written back as itself. */
export function encodeName(name: string): Buffer {
  if (!ESCAPED_BYTE.test(name)) return Buffer.from(name, 'utf8');
  const parts: Buffer[] = [];
  for (const char of name) {
    const byte = escapedByte(char);
    parts.push(byte === undefined ? Buffer.from(char, 'utf8') : Buffer.of(byte));
  }
  return Buffer.concat(parts);
}

/** Whether the name held bytes that are not UTF-8. */
export function isUtf8Name(name: string): boolean {
  return !ESCAPED_BYTE.test(name);
}

/** The byte an escaped code unit stands for (U+DCFF → 0xff), or undefined for any other character. */
export function escapedByte(char: string): number | undefined {
  const code = char.length === 1 ? char.charCodeAt(0) : 0;
  return code >= ESCAPED_BYTE_BASE + 0x80 && code <= ESCAPED_BYTE_BASE + 0xff ? code - ESCAPED_BYTE_BASE : undefined;
}
