/**
 * Deterministic tar writing and streaming tar reading.
 *
 * The writer produces the GNU format byte for byte as GNU tar 1.34 `--format=gnu` does (which is
 * what dpkg-deb runs): 512-byte headers with magic "ustar  \0", octal fields zero-padded
 * ("0000755\0", checksum "%06o\0 "), owner root/root uid/gid 0, names longer than 100 bytes
 * preceded by a "././@LongLink" 'L' entry (a symlink target longer than 100 bytes by a 'K' entry,
 * before the 'L' one), directories named with a trailing '/', symlinks mode 0777, two zero blocks
 * at the end and the whole padded to a 10240-byte record. An uncompressed data.tar of ours is
 * therefore identical to the one dpkg-deb --root-owner-group builds from the same tree.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { KpkgError } from '../util/errors.js';
import { decodeName, encodeName as nameBytes } from '../util/name-bytes.js';
import type { ByteSource } from './byte-reader.js';
import { BoundedBody, ByteReader } from './byte-reader.js';
import type { FileReadAheadOptions } from './file-read-ahead.js';
import { ReadAhead, streamKnownSize } from './file-read-ahead.js';

export const TAR_BLOCK = 512;
/** GNU tar's default record (blocking factor 20); the archive's length is a multiple of it. */
export const TAR_RECORD = 10240;

export type TarFileContent = { from: 'disk'; path: string } | { from: 'bytes'; data: Uint8Array };

export type TarEntry =
  | { type: 'dir'; name: string; mode: number; mtime: number }
  /**
   * `volatile`: the content changes with nothing but the package's version (the changelog); a
   * compressed member keeps it in a block of its own (archive/xz-blocks.ts), so that the rest is
   * the same bytes from one version to the next. No effect on the tar itself.
   */
  | {
      type: 'file';
      name: string;
      mode: number;
      mtime: number;
      size: number;
      content: TarFileContent;
      volatile?: boolean;
    }
  | { type: 'symlink'; name: string; target: string; mtime: number };

/** The read-ahead options (prefetch, prefetchBytes, wholeFileLimit) are file-read-ahead.ts's. */
export interface TarWriteOptions extends FileReadAheadOptions {
  /**
   * Hashes every regular file's content as it is written (e.g. for md5sums or rpm file digests,
   * without reading the files twice); `onDigest` gets the entry and the hex digest.
   */
  digest?: { algorithm: 'md5' | 'sha256'; onDigest: (entry: TarEntry & { type: 'file' }, hex: string) => void };
  /**
   * Called with each entry's index and the offset in the archive where its headers start, before
   * any of its bytes are produced; last with entries.length and the offset of the end-of-archive
   * blocks.
   */
  onEntryStart?: (index: number, offset: number) => void;
}

/**
 * The tar archive of `entries`, in the order given, as a byte stream. File contents are read
 * from disk with a bounded read-ahead, so the archive is never held in memory. A file whose size
 * on disk differs from its entry's `size` fails the stream with a KpkgError.
 */
export function tarStream(entries: readonly TarEntry[], options: TarWriteOptions = {}): Readable {
  return Readable.from(tarChunks(entries, options), { objectMode: false, highWaterMark: 1 << 20 });
}

const NUL = 0;
const MAX_OCTAL_11 = 0o77777777777;
const LONGLINK_NAME = '././@LongLink';

/** One GNU header block. `size` is the data length that follows; `mtime` is seconds. */
function headerBlock(fields: {
  name: Buffer;
  mode: number;
  size: number;
  mtime: number;
  typeflag: string;
  linkname?: Buffer;
}): Buffer {
  const block = Buffer.alloc(TAR_BLOCK);
  fields.name.copy(block, 0, 0, Math.min(100, fields.name.length));
  writeOctal(block, 100, 8, fields.mode);
  writeOctal(block, 108, 8, 0); // uid
  writeOctal(block, 116, 8, 0); // gid
  writeNumeric(block, 124, 12, fields.size, 'size');
  writeNumeric(block, 136, 12, fields.mtime, 'mtime');
  block.write(fields.typeflag, 156, 'latin1');
  if (fields.linkname !== undefined) fields.linkname.copy(block, 157, 0, Math.min(100, fields.linkname.length));
  block.write('ustar  \0', 257, 'latin1');
  block.write('root', 265, 'latin1');
  block.write('root', 297, 'latin1');
  // The checksum is the byte sum with its own field read as spaces, written as "%06o\0 ".
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0'), 148, 'latin1');
  block[154] = NUL;
  block[155] = 0x20;
  return block;
}

function writeOctal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(value.toString(8).padStart(width - 1, '0'), offset, 'latin1');
  block[offset + width - 1] = NUL;
}

/** Octal when it fits in 11 digits, GNU base-256 (high bit set, big-endian) beyond. */
function writeNumeric(block: Buffer, offset: number, width: number, value: number, label: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new KpkgError(`tar: ${label} ${value} is not a non-negative integer`);
  if (value <= MAX_OCTAL_11) {
    writeOctal(block, offset, width, value);
    return;
  }
  let rest = BigInt(value);
  for (let i = offset + width - 1; i > offset; i--) {
    block[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  block[offset] = 0x80;
}

function padding(size: number): number {
  return (TAR_BLOCK - (size % TAR_BLOCK)) % TAR_BLOCK;
}

/** A GNU long-name ('L') or long-link ('K') entry carrying `value` NUL-terminated. */
function longLink(typeflag: 'L' | 'K', value: Buffer): Buffer {
  const size = value.length + 1;
  const header = headerBlock({ name: Buffer.from(LONGLINK_NAME, 'latin1'), mode: 0o644, size, mtime: 0, typeflag });
  const data = Buffer.alloc(size + padding(size));
  value.copy(data);
  return Buffer.concat([header, data]);
}

function encodeName(name: string, what: string): Buffer {
  if (name === '' || name.includes('\0')) throw new KpkgError(`tar: invalid ${what} ${JSON.stringify(name)}`);
  return nameBytes(name);
}

/** Header blocks (with any long-name entries before them) for one entry. */
export function encodeTarHeader(entry: TarEntry): Buffer {
  const nameText = entry.type === 'dir' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
  const name = encodeName(nameText, 'entry name');
  const parts: Buffer[] = [];
  let linkname: Buffer | undefined;
  if (entry.type === 'symlink') {
    linkname = encodeName(entry.target, `symlink target of ${nameText}`);
    if (linkname.length > 100) parts.push(longLink('K', linkname));
  }
  if (name.length > 100) parts.push(longLink('L', name));
  const mode = entry.type === 'symlink' ? 0o777 : entry.mode & 0o7777;
  const size = entry.type === 'file' ? entry.size : 0;
  const typeflag = entry.type === 'file' ? '0' : entry.type === 'dir' ? '5' : '2';
  parts.push(
    headerBlock({ name, mode, size, mtime: entry.mtime, typeflag, ...(linkname === undefined ? {} : { linkname }) }),
  );
  return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts);
}

/** Where a file entry's content is to be read from disk. */
function diskContent(entry: TarEntry): { path: string; size: number } | undefined {
  return entry.type === 'file' && entry.content.from === 'disk'
    ? { path: entry.content.path, size: entry.size }
    : undefined;
}

/** Small pieces are gathered into larger chunks so downstream sees few, big writes. */
class Batch {
  #parts: Buffer[] = [];
  #size = 0;
  static readonly TARGET = 256 * 1024;

  push(part: Buffer): void {
    this.#parts.push(part);
    this.#size += part.length;
  }

  get full(): boolean {
    return this.#size >= Batch.TARGET;
  }

  take(): Buffer | null {
    if (this.#size === 0) return null;
    const out =
      this.#parts.length === 1 && this.#parts[0] !== undefined
        ? this.#parts[0]
        : Buffer.concat(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    return out;
  }
}

/** tarStream's chunks, for a consumer that reads them in step with onEntryStart's offsets (xz-blocks.ts). */
export async function* tarChunks(
  entries: readonly TarEntry[],
  options: TarWriteOptions,
): AsyncGenerator<Buffer, void, undefined> {
  const readAhead = new ReadAhead(entries, diskContent, options);
  const batch = new Batch();
  let total = 0;
  const emit = function* (part: Buffer): Generator<Buffer, void, undefined> {
    total += part.length;
    if (part.length >= Batch.TARGET) {
      const pending = batch.take();
      if (pending !== null) yield pending;
      yield part;
      return;
    }
    batch.push(part);
    if (batch.full) {
      const pending = batch.take();
      if (pending !== null) yield pending;
    }
  };

  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (entry === undefined) continue;
    readAhead.fill(index);
    options.onEntryStart?.(index, total);
    yield* emit(encodeTarHeader(entry));
    if (entry.type !== 'file') continue;
    const { content, size } = entry;
    const hash = options.digest === undefined ? undefined : createHash(options.digest.algorithm);
    if (content.from === 'bytes') {
      if (content.data.byteLength !== size)
        throw new Error(`tar: ${entry.name}: ${content.data.byteLength} bytes given, size says ${size}`);
      const data = Buffer.from(content.data.buffer, content.data.byteOffset, content.data.byteLength);
      hash?.update(data);
      yield* emit(data);
    } else if (readAhead.readsWhole(size)) {
      const data = await readAhead.take(index, content.path, size);
      hash?.update(data);
      yield* emit(data);
      readAhead.fill(index + 1);
    } else {
      const pending = batch.take();
      if (pending !== null) yield pending;
      for await (const chunk of streamKnownSize(content.path, size)) {
        hash?.update(chunk);
        total += chunk.length;
        yield chunk;
      }
    }
    if (hash !== undefined) options.digest?.onDigest(entry, hash.digest('hex'));
    const pad = padding(size);
    if (pad > 0) yield* emit(Buffer.alloc(pad));
  }
  // End of archive: two zero blocks, then zeros up to a whole record, as GNU tar writes.
  options.onEntryStart?.(entries.length, total);
  const end = total + 2 * TAR_BLOCK;
  const recordEnd = Math.ceil(end / TAR_RECORD) * TAR_RECORD;
  yield* emit(Buffer.alloc(recordEnd - total));
  const last = batch.take();
  if (last !== null) yield last;
}

// ---------------------------------------------------------------------------------------------
// Reading

export type TarReadType = 'file' | 'hardlink' | 'symlink' | 'dir' | 'other';

/** One entry as the reader found it, long names and pax records already applied. */
export interface TarReadEntry {
  name: string;
  type: TarReadType;
  /** The raw type flag character ('0', '5', '2', ...; '\0' read as '0'). */
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Seconds since the epoch. */
  mtime: number;
  size: number;
  /** Symlink or hardlink target ('' for other types). */
  linkname: string;
  /** Offset of the entry's own header block (after any long-name or pax entries). */
  offset: number;
  /** The entry's data, streamed; read it before asking for the next entry (unread data is skipped). */
  body: AsyncIterable<Buffer>;
  /** The whole body in memory; refuses bodies larger than `limit` bytes (default 64 MiB). */
  bytes(limit?: number): Promise<Buffer>;
}

export interface TarReadOptions {
  /** The archive's name, for error messages. */
  where?: string;
  /** Largest long name / pax record accepted (default 64 KiB). */
  maxMetadataSize?: number;
}

/**
 * Streams the entries of a ustar, GNU or pax tar archive. Bad checksums, unknown formats,
 * malformed numbers, truncation and oversized metadata are KpkgErrors; the input is read to its
 * end (the bytes after the end-of-archive marker are discarded) so a producing process is never
 * left blocked.
 */
export async function* readTar(
  input: ByteSource,
  options: TarReadOptions = {},
): AsyncGenerator<TarReadEntry, void, undefined> {
  const reader = new ByteReader(input);
  const where = options.where;
  const maxMeta = options.maxMetadataSize ?? 64 * 1024;
  const fail = (message: string): KpkgError =>
    new KpkgError(
      where === undefined ? `tar: ${message}` : `${where}: ${message}`,
      where === undefined ? {} : { where },
    );
  let longName: string | undefined;
  let longLinkName: string | undefined;
  let pax: Map<string, string> | undefined;
  let globalPax = new Map<string, string>();
  try {
    for (;;) {
      const offset = reader.position;
      const block = await reader.read(TAR_BLOCK);
      if (block.length === 0) {
        if (longName !== undefined || longLinkName !== undefined || pax !== undefined)
          throw fail('archive ends after a long-name or pax entry');
        return; // no end marker: tolerated, as GNU tar does
      }
      if (block.length < TAR_BLOCK) throw fail(`truncated header at offset ${offset}`);
      if (block.every((byte) => byte === 0)) {
        await reader.drain();
        return;
      }
      const header = parseTarHeader(block, offset, fail);
      const metadata = async (): Promise<Buffer> => {
        if (header.size > maxMeta)
          throw fail(
            `${header.typeflag} entry at offset ${offset} is ${header.size} bytes, over the ${maxMeta}-byte limit`,
          );
        const data = await reader.read(header.size);
        if (data.length < header.size) throw fail(`truncated ${header.typeflag} entry at offset ${offset}`);
        await skipPadding(header.size, reader, fail, offset);
        return data;
      };
      if (header.typeflag === 'L' || header.typeflag === 'K') {
        const data = await metadata();
        const end = data.indexOf(NUL);
        const value = decodeName(data.subarray(0, end === -1 ? data.length : end));
        if (header.typeflag === 'L') longName = value;
        else longLinkName = value;
        continue;
      }
      if (header.typeflag === 'x' || header.typeflag === 'g') {
        const records = parsePax(await metadata(), offset, fail);
        if (header.typeflag === 'g') globalPax = new Map([...globalPax, ...records]);
        else pax = records;
        continue;
      }
      const attributes = new Map([...globalPax, ...(pax ?? [])]);
      const entry = applyOverrides(header, longName, longLinkName, attributes, offset, fail);
      longName = longLinkName = pax = undefined;
      const body = new BoundedBody(reader, entry.size, () =>
        fail(`entry '${entry.name}' at offset ${offset} is truncated: it declares ${entry.size} bytes`),
      );
      yield {
        ...entry,
        offset,
        body,
        bytes: (limit = 64 * 1024 * 1024) =>
          body.all(limit, () =>
            fail(`entry '${entry.name}' is ${entry.size} bytes, more than the ${limit} bytes allowed in memory`),
          ),
      };
      await body.finish();
      await skipPadding(entry.size, reader, fail, offset);
    }
  } finally {
    await reader.close();
  }
}

type ParsedHeader = Omit<TarReadEntry, 'offset' | 'body' | 'bytes'>;

function parseTarHeader(block: Buffer, offset: number, fail: (message: string) => KpkgError): ParsedHeader {
  const stored = parseNumber(block, 148, 8);
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (stored === undefined || stored !== sum)
    throw fail(`bad header checksum at offset ${offset} (not a tar archive, or a corrupted one)`);
  const magic = block.toString('latin1', 257, 265);
  const posix = magic === 'ustar\u000000';
  if (!posix && magic !== 'ustar  \u0000')
    throw fail(`unknown tar format at offset ${offset} (magic ${JSON.stringify(magic)})`);
  const text = (start: number, width: number): string => {
    const field = block.subarray(start, start + width);
    const end = field.indexOf(NUL);
    return decodeName(field.subarray(0, end === -1 ? width : end));
  };
  const number = (label: string, start: number, width: number): number => {
    const value = parseNumber(block, start, width);
    if (value === undefined) throw fail(`malformed ${label} field in the header at offset ${offset}`);
    return value;
  };
  let name = text(0, 100);
  if (posix) {
    const prefix = text(345, 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const flagByte = block[156] ?? 0;
  const typeflag = flagByte === 0 ? '0' : String.fromCharCode(flagByte);
  return {
    name,
    typeflag,
    type: readType(typeflag),
    mode: number('mode', 100, 8),
    uid: number('uid', 108, 8),
    gid: number('gid', 116, 8),
    size: number('size', 124, 12),
    mtime: number('mtime', 136, 12),
    linkname: text(157, 100),
    uname: text(265, 32),
    gname: text(297, 32),
  };
}

function readType(typeflag: string): TarReadType {
  switch (typeflag) {
    case '0':
    case '7':
      return 'file';
    case '1':
      return 'hardlink';
    case '2':
      return 'symlink';
    case '5':
      return 'dir';
    default:
      return 'other';
  }
}

/** An octal field (leading spaces, trailing NUL/spaces allowed) or GNU base-256; undefined if malformed. */
function parseNumber(block: Buffer, start: number, width: number): number | undefined {
  const first = block[start] ?? 0;
  if ((first & 0x80) !== 0) {
    if ((first & 0x40) !== 0) return undefined; // negative
    let value = BigInt(first & 0x3f);
    for (let i = start + 1; i < start + width; i++) value = (value << 8n) | BigInt(block[i] ?? 0);
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  }
  const match = /^ *([0-7]*)[ \0]*$/.exec(block.toString('latin1', start, start + width));
  const digits = match?.[1];
  if (digits === undefined) return undefined;
  return digits === '' ? 0 : Number.parseInt(digits, 8);
}

function parsePax(data: Buffer, offset: number, fail: (message: string) => KpkgError): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const lengthText = space === -1 ? '' : data.toString('latin1', at, space);
    const length = /^[0-9]{1,8}$/.test(lengthText) ? Number.parseInt(lengthText, 10) : Number.NaN;
    if (!(length > space - at + 1) || at + length > data.length || data[at + length - 1] !== 0x0a) {
      throw fail(`malformed pax record in the entry at offset ${offset}`);
    }
    const record = decodeName(data.subarray(space + 1, at + length - 1));
    const equals = record.indexOf('=');
    if (equals <= 0) throw fail(`malformed pax record in the entry at offset ${offset}`);
    records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

function applyOverrides(
  header: ParsedHeader,
  longName: string | undefined,
  longLinkName: string | undefined,
  pax: Map<string, string>,
  offset: number,
  fail: (message: string) => KpkgError,
): ParsedHeader {
  const paxNumber = (key: string, fallback: number): number => {
    const value = pax.get(key);
    if (value === undefined) return fallback;
    if (!/^[0-9]+(\.[0-9]*)?$/.test(value))
      throw fail(`malformed pax ${key} '${value}' for the entry at offset ${offset}`);
    return Math.floor(Number(value));
  };
  const name = pax.get('path') ?? longName ?? header.name;
  const linkname = pax.get('linkpath') ?? longLinkName ?? header.linkname;
  const size = paxNumber('size', header.size);
  if (!Number.isSafeInteger(size)) throw fail(`absurd size in the entry at offset ${offset}`);
  const type = header.typeflag === '0' && name.endsWith('/') ? 'dir' : header.type; // old tars marked dirs by the slash
  return {
    ...header,
    type,
    name,
    linkname,
    size,
    mtime: paxNumber('mtime', header.mtime),
    uid: paxNumber('uid', header.uid),
    gid: paxNumber('gid', header.gid),
    uname: pax.get('uname') ?? header.uname,
    gname: pax.get('gname') ?? header.gname,
  };
}

async function skipPadding(
  size: number,
  reader: ByteReader,
  fail: (message: string) => KpkgError,
  offset: number,
): Promise<void> {
  const pad = padding(size);
  if (pad > 0 && (await reader.skip(pad)) < pad)
    throw fail(`archive truncated in the padding of the entry at offset ${offset}`);
}
