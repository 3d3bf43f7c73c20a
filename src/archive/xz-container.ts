/**
 * The .xz container (The .xz File Format 1.2.0, tukaani.org/xz/xz-file-format.txt), just enough
 * to take the one block out of a single-block stream and to put blocks compressed apart back into
 * one stream: stream header, the blocks as they are, the index (each block's unpadded and
 * uncompressed size), stream footer.
 *
 * xz's multi-threaded encoder cuts its input into blocks of a fixed size and compresses each on
 * its own, so a block compressed alone (`xz -T2 --block-size=N` over exactly its bytes) is the
 * same bytes as that block inside the whole stream; joined here with the same index and footer,
 * the result is the stream `xz -T2` writes for the whole input (archive/xz-blocks.test.ts checks it).
 */
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { KpkgError } from '../util/errors.js';

const HEADER_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const FOOTER_MAGIC = Buffer.from([0x59, 0x5a]);
const STREAM_HEADER_SIZE = 12;
const STREAM_FOOTER_SIZE = 12;
/** Check type 0x04: CRC64 (8 bytes), what kpkg asks xz for (--check=crc64). */
const CHECK_CRC64 = 0x04;

function fail(what: string): never {
  throw new KpkgError(`xz output not understood: ${what}`);
}

function uint32le(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(value >>> 0);
  return b;
}

/** xz's variable-length integer: 7 bits a byte, least significant first, high bit = more. */
function encodeVarint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

function decodeVarint(buf: Buffer, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 9; i++) {
    const byte = buf[at + i];
    if (byte === undefined) fail('index ends inside a number');
    value += (byte & 0x7f) * scale;
    if ((byte & 0x80) === 0) return { value, next: at + i + 1 };
    scale *= 0x80;
  }
  return fail('index number longer than 9 bytes');
}

function streamFlags(check: number): Buffer {
  return Buffer.from([0x00, check]);
}

/** Where the one block of a single-block stream is, and the sizes its index records. */
export interface BlockLayout {
  /** The block's bytes (header, data, padding, check): `length` bytes from `offset` of the stream. */
  offset: number;
  length: number;
  unpaddedSize: number;
  uncompressedSize: number;
}

/** The most a single-block stream's index and footer take: 28 + 12 bytes. */
const TAIL_BYTES = 64;

/**
 * The block of a stream that has exactly one (what `xz` writes for input of at most one block), from
 * the stream's size, its first 12 bytes and its last (up to) 64.
 */
export function singleBlockLayout(size: number, head: Buffer, tail: Buffer): BlockLayout {
  if (
    size < STREAM_HEADER_SIZE + STREAM_FOOTER_SIZE ||
    head.length < STREAM_HEADER_SIZE ||
    !head.subarray(0, 6).equals(HEADER_MAGIC)
  )
    fail('no stream header');
  const flags = head.subarray(6, 8);
  if (!flags.equals(streamFlags(CHECK_CRC64))) fail('not a CRC64-checked stream');
  const footer = tail.subarray(tail.length - STREAM_FOOTER_SIZE);
  if (
    footer.length !== STREAM_FOOTER_SIZE ||
    !footer.subarray(10).equals(FOOTER_MAGIC) ||
    !footer.subarray(8, 10).equals(flags)
  )
    fail('no stream footer (or stream padding)');
  const indexSize = (footer.readUInt32LE(4) + 1) * 4;
  const indexAt = tail.length - STREAM_FOOTER_SIZE - indexSize;
  const indexStart = size - STREAM_FOOTER_SIZE - indexSize;
  if (indexAt < 0 || indexStart < STREAM_HEADER_SIZE || tail[indexAt] !== 0x00) fail('no index');
  const count = decodeVarint(tail, indexAt + 1);
  if (count.value !== 1) fail(`${count.value} blocks where one was expected`);
  const unpadded = decodeVarint(tail, count.next);
  const uncompressed = decodeVarint(tail, unpadded.next);
  const length = indexStart - STREAM_HEADER_SIZE;
  if (length !== Math.ceil(unpadded.value / 4) * 4) fail('block size disagrees with the index');
  return { offset: STREAM_HEADER_SIZE, length, unpaddedSize: unpadded.value, uncompressedSize: uncompressed.value };
}

/** singleBlockLayout of the stream in a file, reading only its head and tail. */
export async function singleBlockIn(path: string): Promise<BlockLayout> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(STREAM_HEADER_SIZE, size));
    await handle.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(TAIL_BYTES, size));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return singleBlockLayout(size, head, tail);
  } finally {
    await handle.close();
  }
}

/** The stream header that starts a CRC64-checked stream. */
export function streamHeader(): Buffer {
  const flags = streamFlags(CHECK_CRC64);
  return Buffer.concat([HEADER_MAGIC, flags, uint32le(crc32(flags))]);
}

/** What follows the blocks: the index of `blocks` (their sizes, in order) and the stream footer. */
export function streamTrailer(blocks: readonly Pick<BlockLayout, 'unpaddedSize' | 'uncompressedSize'>[]): Buffer {
  const fields = [0x00, ...encodeVarint(blocks.length)];
  for (const b of blocks) {
    if (!Number.isSafeInteger(b.unpaddedSize) || b.unpaddedSize <= 0) fail(`block of unpadded size ${b.unpaddedSize}`);
    fields.push(...encodeVarint(b.unpaddedSize), ...encodeVarint(b.uncompressedSize));
  }
  while (fields.length % 4 !== 0) fields.push(0x00);
  const index = Buffer.from(fields);
  const indexWithCrc = Buffer.concat([index, uint32le(crc32(index))]);
  const backward = Buffer.concat([uint32le(indexWithCrc.length / 4 - 1), streamFlags(CHECK_CRC64)]);
  return Buffer.concat([indexWithCrc, uint32le(crc32(backward)), backward, FOOTER_MAGIC]);
}
