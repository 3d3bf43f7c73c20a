/**
 * Streaming reader for the SVR4 "newc" cpio format (magic 070701, and 070702 whose header carries
 * a checksum), the payload format of RPM packages (cpio(5), rpm's lib/cpio.c):
 *
 *   a 110-byte ASCII header — magic (6) and 13 fields of 8 hex digits: ino, mode, uid, gid, nlink,
 *   mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize (with the NUL), check —
 *   then the NUL-terminated name, padded so header + name is a multiple of 4, then the data,
 *   padded to a multiple of 4. A symlink's data is its target. The archive ends with an entry
 *   named "TRAILER!!!". Hard links share an inode number; only the last of them carries the data.
 *
 * The writer (cpioStream) produces what rpm 4.18 writes as a package payload (lib/cpio.c,
 * lib/rpmfi.c's archive writer), including rpm's "stripped" variant for files of 4 GiB and more.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { KpkgError } from '../util/errors.js';
import { decodeName } from '../util/name-bytes.js';
import type { ByteSource } from './byte-reader.js';
import { BoundedBody, ByteReader } from './byte-reader.js';
import type { FileReadAheadOptions } from './file-read-ahead.js';
import { ReadAhead, streamKnownSize } from './file-read-ahead.js';

export const CPIO_HEADER_SIZE = 110;
export const CPIO_TRAILER = 'TRAILER!!!';

export type CpioType = 'file' | 'dir' | 'symlink' | 'other';

export interface CpioEntry {
  name: string;
  type: CpioType;
  /** Full st_mode: type bits and permissions. */
  mode: number;
  ino: number;
  nlink: number;
  uid: number;
  gid: number;
  mtime: number;
  size: number;
  /** Offset of the entry's header in the archive. */
  offset: number;
  /** The data, streamed; read it before asking for the next entry (unread data is skipped). */
  body: AsyncIterable<Buffer>;
  /** The whole body in memory; refuses bodies larger than `limit` bytes (default 64 MiB). */
  bytes(limit?: number): Promise<Buffer>;
}

export interface CpioReadOptions {
  /** The archive's name, for error messages. */
  where?: string;
  /** Longest name accepted, NUL included (default 64 KiB; PATH_MAX is 4096). */
  maxNameSize?: number;
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

function typeOf(mode: number): CpioType {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return 'file';
    case S_IFDIR:
      return 'dir';
    case S_IFLNK:
      return 'symlink';
    default:
      return 'other';
  }
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

const FIELDS = [
  'ino',
  'mode',
  'uid',
  'gid',
  'nlink',
  'mtime',
  'filesize',
  'devmajor',
  'devminor',
  'rdevmajor',
  'rdevminor',
  'namesize',
  'check',
] as const;
type Field = (typeof FIELDS)[number];

/**
 * Streams the entries of a newc cpio archive, the trailer excluded. Other cpio formats, bad
 * magic, non-hex fields, truncation and absurd name sizes are KpkgErrors; bytes after the
 * trailer are read and discarded so that a producing process is never left blocked.
 */
export async function* readCpio(
  input: ByteSource,
  options: CpioReadOptions = {},
): AsyncGenerator<CpioEntry, void, undefined> {
  const reader = new ByteReader(input);
  const where = options.where;
  const maxName = options.maxNameSize ?? 64 * 1024;
  const fail = (message: string): KpkgError =>
    new KpkgError(
      where === undefined ? `cpio: ${message}` : `${where}: ${message}`,
      where === undefined ? {} : { where },
    );
  try {
    for (;;) {
      const offset = reader.position;
      const raw = await reader.read(CPIO_HEADER_SIZE);
      if (raw.length === 0)
        throw fail(
          offset === 0
            ? 'the cpio archive is empty'
            : `the cpio archive ends at offset ${offset} without its ${CPIO_TRAILER} entry`,
        );
      if (raw.length < CPIO_HEADER_SIZE)
        throw fail(`truncated cpio header at offset ${offset} (${raw.length} of ${CPIO_HEADER_SIZE} bytes)`);
      const magic = raw.toString('latin1', 0, 6);
      if (magic !== '070701' && magic !== '070702') {
        const what =
          magic === '07070X'
            ? 'an rpm "stripped" cpio payload (used for files of 4 GiB and more), which kpkg does not read'
            : magic === '070707'
              ? 'an old portable-ASCII (odc) cpio header, not newc'
              : `bad cpio magic ${JSON.stringify(magic)} (expected "070701" newc)`;
        throw fail(`${what} at offset ${offset}`);
      }
      const header = parseFields(raw, offset, fail);
      const nameSize = header.namesize;
      if (nameSize < 1 || nameSize > maxName)
        throw fail(`cpio entry at offset ${offset} declares a name of ${nameSize} bytes (limit ${maxName})`);
      const nameBytes = await reader.read(nameSize);
      if (nameBytes.length < nameSize) throw fail(`truncated cpio entry name at offset ${offset}`);
      if (nameBytes[nameSize - 1] !== 0) throw fail(`cpio entry name at offset ${offset} is not NUL-terminated`);
      const name = decodeName(nameBytes.subarray(0, nameSize - 1));
      if (name.includes('\0')) throw fail(`cpio entry name at offset ${offset} contains a NUL byte`);
      const namePad = pad4(CPIO_HEADER_SIZE + nameSize);
      if ((await reader.skip(namePad)) < namePad) throw fail(`truncated cpio entry name padding at offset ${offset}`);
      if (name === CPIO_TRAILER) {
        await reader.drain();
        return;
      }
      const size = header.filesize;
      const body = new BoundedBody(reader, size, () =>
        fail(`cpio entry '${name}' at offset ${offset} is truncated: it declares ${size} bytes`),
      );
      yield {
        name,
        type: typeOf(header.mode),
        mode: header.mode,
        ino: header.ino,
        nlink: header.nlink,
        uid: header.uid,
        gid: header.gid,
        mtime: header.mtime,
        size,
        offset,
        body,
        bytes: (limit = 64 * 1024 * 1024) =>
          body.all(limit, () =>
            fail(`cpio entry '${name}' is ${size} bytes, more than the ${limit} bytes allowed in memory`),
          ),
      };
      await body.finish();
      const dataPad = pad4(size);
      if ((await reader.skip(dataPad)) < dataPad) throw fail(`cpio archive truncated in the padding after '${name}'`);
    }
  } finally {
    await reader.close();
  }
}

function parseFields(raw: Buffer, offset: number, fail: (message: string) => KpkgError): Record<Field, number> {
  const out = {} as Record<Field, number>;
  FIELDS.forEach((field, i) => {
    const text = raw.toString('latin1', 6 + i * 8, 14 + i * 8);
    if (!/^[0-9a-fA-F]{8}$/.test(text))
      throw fail(`bad cpio header at offset ${offset}: ${field} field ${JSON.stringify(text)} is not 8 hex digits`);
    out[field] = Number.parseInt(text, 16);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

export type CpioContent = { from: 'disk'; path: string } | { from: 'bytes'; data: Uint8Array };

/**
 * One archive member. `name` is stored as given (rpm payloads use "./usr/..."); `ino` is written
 * as is; `fileIndex` is the member's index in the rpm header's file list, which is all a
 * stripped header carries.
 */
export type CpioWriteEntry =
  | { type: 'dir'; name: string; mode: number; ino: number; mtime: number; fileIndex?: number }
  | {
      type: 'file';
      name: string;
      mode: number;
      ino: number;
      mtime: number;
      size: number;
      content: CpioContent;
      fileIndex?: number;
    }
  | { type: 'symlink'; name: string; target: string; ino: number; mtime: number; fileIndex?: number };

/** The read-ahead options (prefetch, prefetchBytes, wholeFileLimit) are file-read-ahead.ts's. */
export interface CpioWriteOptions extends FileReadAheadOptions {
  /**
   * 'newc' (default): 070701 headers. 'rpm-stripped': rpm ≥ 4.12's payload for packages with a
   * file of 4 GiB or more (newc sizes are 32-bit): each header is "07070X" and the 8-hex-digit
   * file index, padded to 4 bytes; everything else comes from the rpm header (lib/cpio.c,
   * rpmcpioStrippedHeaderWrite). The trailer stays a newc one in both.
   */
  format?: 'newc' | 'rpm-stripped';
  /** Hashes every regular file's content as it is written (rpm's FILEDIGESTS). */
  digest?: { algorithm: 'md5' | 'sha256'; onDigest: (entry: CpioWriteEntry & { type: 'file' }, hex: string) => void };
}

const S_IFMT_TYPE: Readonly<Record<CpioWriteEntry['type'], number>> = { dir: S_IFDIR, file: S_IFREG, symlink: S_IFLNK };
/** rpm refuses newc members of UINT32_MAX bytes or more (lib/cpio.c, CPIO_FILESIZE_MAX). */
export const CPIO_NEWC_MAX_SIZE = 0xfffffffe;

/**
 * The cpio archive of `entries`, in the order given, as a byte stream: 4-byte aligned headers,
 * uid/gid 0, nlink 1 and device numbers 0 for every member (rpm's rpmfilesStat gives the same
 * for every file it archives), symlink targets as data, then the TRAILER!!! entry padded to 4
 * bytes — no 512-byte padding (rpm's rpmcpioTrailerWrite). File contents are read with a bounded
 * read-ahead; a disk file whose size differs from `size` fails the stream with a KpkgError.
 */
export function cpioStream(entries: readonly CpioWriteEntry[], options: CpioWriteOptions = {}): Readable {
  return Readable.from(cpioChunks(entries, options), { objectMode: false, highWaterMark: 1 << 20 });
}

function hex8(value: number, what: string): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
    throw new KpkgError(`cpio: ${what} ${value} does not fit in a newc header`);
  return value.toString(16).padStart(8, '0');
}

function memberSize(entry: CpioWriteEntry): number {
  return entry.type === 'file' ? entry.size : entry.type === 'symlink' ? Buffer.byteLength(entry.target, 'utf8') : 0;
}

/** A newc header with its name and the padding after the name. */
export function encodeCpioHeader(entry: {
  name: string;
  mode: number;
  ino: number;
  mtime: number;
  size: number;
  nlink?: number;
}): Buffer {
  if (entry.name === '' || entry.name.includes('\0'))
    throw new KpkgError(`cpio: invalid member name ${JSON.stringify(entry.name)}`);
  if (entry.size > CPIO_NEWC_MAX_SIZE)
    throw new KpkgError(
      `cpio: ${entry.name} is ${entry.size} bytes, too large for a newc header (use the rpm-stripped format)`,
    );
  const name = Buffer.from(entry.name, 'utf8');
  const fields = [
    entry.ino,
    entry.mode,
    0,
    0,
    entry.nlink ?? 1,
    entry.mtime,
    entry.size,
    0,
    0,
    0,
    0,
    name.length + 1,
    0,
  ];
  const text = `070701${fields.map((value, i) => hex8(value, FIELDS[i] ?? 'field')).join('')}`;
  const header = Buffer.alloc(CPIO_HEADER_SIZE + name.length + 1 + pad4(CPIO_HEADER_SIZE + name.length + 1));
  header.write(text, 0, 'latin1');
  name.copy(header, CPIO_HEADER_SIZE);
  return header;
}

/** rpm's stripped header: magic "07070X", the file index in 8 hex digits, 2 bytes of padding. */
function strippedHeader(fileIndex: number | undefined, name: string): Buffer {
  if (fileIndex === undefined) throw new Error(`cpio: ${name} has no fileIndex, which the rpm-stripped format needs`);
  const header = Buffer.alloc(16);
  header.write(`07070X${hex8(fileIndex, 'file index')}`, 0, 'latin1');
  return header;
}

/** Where a file member's content is to be read from disk. */
function diskContent(entry: CpioWriteEntry): { path: string; size: number } | undefined {
  return entry.type === 'file' && entry.content.from === 'disk'
    ? { path: entry.content.path, size: entry.size }
    : undefined;
}

const BATCH_TARGET = 256 * 1024;

async function* cpioChunks(
  entries: readonly CpioWriteEntry[],
  options: CpioWriteOptions,
): AsyncGenerator<Buffer, void, undefined> {
  const stripped = options.format === 'rpm-stripped';
  const readAhead = new ReadAhead(entries, diskContent, options);
  let parts: Buffer[] = [];
  let pending = 0;
  const flush = (): Buffer | null => {
    if (pending === 0) return null;
    const out = parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts, pending);
    parts = [];
    pending = 0;
    return out;
  };
  const push = (part: Buffer): Buffer | null => {
    parts.push(part);
    pending += part.length;
    return pending >= BATCH_TARGET ? flush() : null;
  };

  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (entry === undefined) continue;
    readAhead.fill(index);
    const size = memberSize(entry);
    const mode = entry.type === 'symlink' ? S_IFLNK | 0o777 : S_IFMT_TYPE[entry.type] | (entry.mode & 0o7777);
    const header = stripped
      ? strippedHeader(entry.fileIndex, entry.name)
      : encodeCpioHeader({ name: entry.name, mode, ino: entry.ino, mtime: entry.mtime, size });
    let out = push(header);
    if (out !== null) yield out;
    if (entry.type === 'symlink') {
      out = push(Buffer.from(entry.target, 'utf8'));
      if (out !== null) yield out;
    } else if (entry.type === 'file') {
      const hash = options.digest === undefined ? undefined : createHash(options.digest.algorithm);
      const { content } = entry;
      if (content.from === 'bytes' || readAhead.readsWhole(size)) {
        let data: Buffer;
        if (content.from === 'bytes') {
          if (content.data.byteLength !== size)
            throw new Error(`cpio: ${entry.name}: ${content.data.byteLength} bytes given, size says ${size}`);
          data = Buffer.from(content.data.buffer, content.data.byteOffset, content.data.byteLength);
        } else {
          data = await readAhead.take(index, content.path, size);
          readAhead.fill(index + 1);
        }
        hash?.update(data);
        out = push(data);
        if (out !== null) yield out;
      } else {
        out = flush();
        if (out !== null) yield out;
        for await (const chunk of streamKnownSize(content.path, size)) {
          hash?.update(chunk);
          yield chunk;
        }
      }
      if (hash !== undefined) options.digest?.onDigest(entry, hash.digest('hex'));
    }
    const pad = pad4(size);
    if (pad > 0) {
      out = push(Buffer.alloc(pad));
      if (out !== null) yield out;
    }
  }
  // rpmcpioTrailerWrite: every field "0" but nlink 1 and namesize 11.
  const trailer = encodeCpioHeader({ name: CPIO_TRAILER, mode: 0, ino: 0, mtime: 0, size: 0, nlink: 1 });
  push(trailer);
  const last = flush();
  if (last !== null) yield last;
}
