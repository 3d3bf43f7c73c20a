/**
 * The System V / GNU `ar` container as dpkg uses it for .deb files (deb(5), ar(5)):
 *
 *   "!<arch>\n", then per member a 60-byte header — name (16, space padded), mtime (12, decimal),
 *   uid (6), gid (6), mode (8, octal), size (10, decimal), "`\n" — the data, and one "\n" when the
 *   size is odd. dpkg-deb writes plain names without GNU's trailing '/' ("debian-binary   "),
 *   mtime = SOURCE_DATE_EPOCH, uid/gid 0, mode 100644; so does this writer. No symbol table and
 *   no long-name table: member names are at most 16 bytes.
 */
import type { Writable } from 'node:stream';
import { KpkgError } from '../util/errors.js';
import { endWritable, writeChunk } from '../util/writable.js';
import type { ByteSource } from './byte-reader.js';
import { BoundedBody, ByteReader } from './byte-reader.js';

export const AR_MAGIC: Buffer = Buffer.from('!<arch>\n', 'latin1');
export const AR_HEADER_SIZE = 60;
const HEADER_END = '`\n';

/** What an ar header says about one member. */
export interface ArMemberInfo {
  name: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** Defaults to 0o100644 (a regular file, rw-r--r--), as dpkg-deb writes. */
  mode?: number;
  uid?: number;
  gid?: number;
}

/** A member's content: bytes in memory, or a stream (e.g. a Readable) of exactly `size` bytes. */
export type ArContent = Uint8Array | AsyncIterable<Uint8Array>;

/** The width of a member header's mtime field (decimal digits). */
const MTIME_WIDTH = 12;

/** The latest time stamp (seconds since 1970) a member header holds: 12 decimal digits. */
export const AR_MTIME_MAX = 10 ** MTIME_WIDTH - 1;

/** The 60-byte header for one member. Throws when a value does not fit its field. */
export function encodeArHeader(info: ArMemberInfo): Buffer {
  const { name } = info;
  if (!/^[\x21-\x7e]{1,16}$/.test(name) || name.includes('/')) {
    throw new KpkgError(`ar member name '${name}' must be 1-16 printable ASCII characters without '/' or spaces`);
  }
  const fields: [string, number, number, number][] = [
    // [label, value, width, radix]
    ['mtime', info.mtime, MTIME_WIDTH, 10],
    ['uid', info.uid ?? 0, 6, 10],
    ['gid', info.gid ?? 0, 6, 10],
    ['mode', info.mode ?? 0o100644, 8, 8],
    ['size', info.size, 10, 10],
  ];
  let header = name.padEnd(16, ' ');
  for (const [label, value, width, radix] of fields) {
    const text = Number.isSafeInteger(value) && value >= 0 ? value.toString(radix) : '';
    if (text === '' || text.length > width) {
      throw new KpkgError(`ar member '${name}': ${label} ${value} does not fit the ${width}-character header field`);
    }
    header += text.padEnd(width, ' ');
  }
  header += HEADER_END;
  return Buffer.from(header, 'latin1');
}

/** The byte that keeps members 2-byte aligned: "\n" after an odd-sized member, nothing otherwise. */
export function arPadding(size: number): Buffer {
  return size % 2 === 1 ? Buffer.from('\n', 'latin1') : Buffer.alloc(0);
}

/**
 * Writes an ar archive member by member into a Writable, honouring backpressure. Every member's
 * size must be known up front (it goes in the header before the data); content that turns out
 * longer or shorter than announced is an error, and the archive is then unusable.
 */
export class ArWriter {
  readonly #out: Writable;
  #started = false;
  #bytes = 0;

  constructor(out: Writable) {
    this.#out = out;
  }

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.#bytes;
  }

  async add(info: ArMemberInfo, content: ArContent): Promise<void> {
    const header = encodeArHeader(info);
    await this.#start();
    await this.#write(header);
    let written = 0;
    const chunks: AsyncIterable<Uint8Array> | Uint8Array[] = content instanceof Uint8Array ? [content] : content;
    for await (const chunk of chunks) {
      written += chunk.byteLength;
      if (written > info.size) {
        throw new KpkgError(`ar member '${info.name}' has more data than the ${info.size} bytes its header announces`);
      }
      await this.#write(chunk);
    }
    if (written !== info.size) {
      throw new KpkgError(
        `ar member '${info.name}' has ${written} bytes of data, but its header announces ${info.size}`,
      );
    }
    const pad = arPadding(info.size);
    if (pad.length > 0) await this.#write(pad);
  }

  /** Writes the magic if nothing was added, then ends the Writable and waits until it has flushed. */
  async end(): Promise<void> {
    await this.#start();
    await endWritable(this.#out);
  }

  async #start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#write(AR_MAGIC);
  }

  async #write(chunk: Uint8Array): Promise<void> {
    this.#bytes += chunk.byteLength;
    await writeChunk(this.#out, chunk);
  }
}

/** One member as the reader found it. */
export interface ArEntry extends Required<ArMemberInfo> {
  /** Offset of the member's header in the archive. */
  offset: number;
  /**
   * The member's data, streamed. Read it before asking the reader for the next member (the
   * reader skips whatever was not read); it can be iterated once.
   */
  body: AsyncIterable<Buffer>;
  /** The whole body in memory; refuses bodies larger than `limit` bytes (default 64 MiB). */
  bytes(limit?: number): Promise<Buffer>;
}

export interface ArReadOptions {
  /** The archive's file name, for error messages. */
  where?: string;
}

const DEFAULT_BYTES_LIMIT = 64 * 1024 ** 2;

/**
 * Streams the members of an ar archive. Rejects — with a KpkgError, never a hang or a crash —
 * a missing or wrong magic, truncated headers or data, non-numeric fields and a missing header
 * terminator. A member may be as large as its 10-digit size field says (9,999,999,999 bytes), as
 * dpkg-deb reads it: bodies stream, so the size costs no memory, and a size the archive does not
 * hold is found as truncation.
 */
export async function* readAr(
  input: ByteSource,
  options: ArReadOptions = {},
): AsyncGenerator<ArEntry, void, undefined> {
  const reader = new ByteReader(input);
  const where = options.where;
  const fail = (message: string): KpkgError =>
    new KpkgError(where === undefined ? message : `${where}: ${message}`, where === undefined ? {} : { where });
  try {
    const magic = await reader.read(AR_MAGIC.length);
    if (magic.length === 0) throw fail('not an ar archive: the input is empty');
    if (!magic.equals(AR_MAGIC)) {
      throw fail(
        magic.length < AR_MAGIC.length
          ? 'not an ar archive: input ends inside the magic'
          : 'not an ar archive: bad magic (expected "!<arch>\\n")',
      );
    }
    for (;;) {
      const offset = reader.position;
      const raw = await reader.read(AR_HEADER_SIZE);
      if (raw.length === 0) return;
      if (raw.length < AR_HEADER_SIZE)
        throw fail(`truncated ar member header at offset ${offset} (${raw.length} of ${AR_HEADER_SIZE} bytes)`);
      const info = parseHeader(raw, offset, fail);
      const body = new BoundedBody(reader, info.size, () =>
        fail(
          `ar member '${info.name}' at offset ${offset} is truncated: it declares ${info.size} bytes but the archive ends early`,
        ),
      );
      yield {
        ...info,
        offset,
        body,
        bytes: (limit = DEFAULT_BYTES_LIMIT) =>
          body.all(limit, () =>
            fail(`ar member '${info.name}' is ${info.size} bytes, more than the ${limit} bytes allowed in memory`),
          ),
      };
      await body.finish();
      if (info.size % 2 === 1) {
        const pad = await reader.read(1);
        // A missing final pad byte is tolerated (some writers omit it at the very end).
        if (pad.length === 1 && pad[0] !== 0x0a) throw fail(`bad padding byte after ar member '${info.name}'`);
      }
    }
  } finally {
    await reader.close();
  }
}

function parseHeader(raw: Buffer, offset: number, fail: (message: string) => KpkgError): Required<ArMemberInfo> {
  if (raw.toString('latin1', 58, 60) !== HEADER_END)
    throw fail(`bad ar member header at offset ${offset}: missing terminator`);
  let name = raw.toString('latin1', 0, 16).trimEnd();
  if (name.endsWith('/') && name !== '/' && name !== '//') name = name.slice(0, -1); // GNU style "name/"
  if (name === '') throw fail(`bad ar member header at offset ${offset}: empty name`);
  const field = (label: string, start: number, width: number, radix: 8 | 10, required: boolean): number => {
    const text = raw.toString('latin1', start, start + width).trimEnd();
    if (text === '' && !required) return 0;
    const digits = radix === 8 ? /^[0-7]+$/ : /^[0-9]+$/;
    if (!digits.test(text))
      throw fail(`bad ar member header for '${name}' at offset ${offset}: ${label} field '${text}' is not a number`);
    return Number.parseInt(text, radix);
  };
  return {
    name,
    mtime: field('mtime', 16, 12, 10, false),
    uid: field('uid', 28, 6, 10, false),
    gid: field('gid', 34, 6, 10, false),
    mode: field('mode', 40, 8, 8, false),
    size: field('size', 48, 10, 10, true),
  };
}
