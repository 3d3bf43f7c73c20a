/**
 * Streaming reader for the SVR4 "newc" cpio format (magic 070701, and 070702 whose header carries
 * a checksum), the payload format of RPM packages (cpio(5), rpm's lib/cpio.c):
 *
 *   a 110-byte ASCII header — magic (6) and 13 fields of 8 hex digits: ino, mode, uid, gid, nlink,
 *   mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize (with the NUL), check —
 *   then the NUL-terminated name, padded so header + name is a multiple of 4, then the data,
 *   padded to a multiple of 4. A symlink's data is its target. The archive ends with an entry
 *   named "TRAILER!!!". Hard links share an inode number; only the last of them carries the data.
 */
import { KpkgError } from '../util/errors.js';
import type { ByteSource } from './byte-reader.js';
import { BoundedBody, ByteReader } from './byte-reader.js';

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

const FIELDS = ['ino', 'mode', 'uid', 'gid', 'nlink', 'mtime', 'filesize', 'devmajor', 'devminor', 'rdevmajor', 'rdevminor', 'namesize', 'check'] as const;
type Field = (typeof FIELDS)[number];

/**
 * Streams the entries of a newc cpio archive, the trailer excluded. Other cpio formats, bad
 * magic, non-hex fields, truncation and absurd name sizes are KpkgErrors; bytes after the
 * trailer are read and discarded so that a producing process is never left blocked.
 */
export async function* readCpio(input: ByteSource, options: CpioReadOptions = {}): AsyncGenerator<CpioEntry, void, undefined> {
  const reader = new ByteReader(input);
  const where = options.where;
  const maxName = options.maxNameSize ?? 64 * 1024;
  const fail = (message: string): KpkgError => new KpkgError(where === undefined ? `cpio: ${message}` : `${where}: ${message}`, where === undefined ? {} : { where });
  try {
    for (;;) {
      const offset = reader.position;
      const raw = await reader.read(CPIO_HEADER_SIZE);
      if (raw.length === 0) throw fail(offset === 0 ? 'the cpio archive is empty' : `the cpio archive ends at offset ${offset} without its ${CPIO_TRAILER} entry`);
      if (raw.length < CPIO_HEADER_SIZE) throw fail(`truncated cpio header at offset ${offset} (${raw.length} of ${CPIO_HEADER_SIZE} bytes)`);
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
      if (nameSize < 1 || nameSize > maxName) throw fail(`cpio entry at offset ${offset} declares a name of ${nameSize} bytes (limit ${maxName})`);
      const nameBytes = await reader.read(nameSize);
      if (nameBytes.length < nameSize) throw fail(`truncated cpio entry name at offset ${offset}`);
      if (nameBytes[nameSize - 1] !== 0) throw fail(`cpio entry name at offset ${offset} is not NUL-terminated`);
      const name = nameBytes.toString('utf8', 0, nameSize - 1);
      if (name.includes('\0')) throw fail(`cpio entry name at offset ${offset} contains a NUL byte`);
      const namePad = pad4(CPIO_HEADER_SIZE + nameSize);
      if ((await reader.skip(namePad)) < namePad) throw fail(`truncated cpio entry name padding at offset ${offset}`);
      if (name === CPIO_TRAILER) {
        await reader.drain();
        return;
      }
      const size = header.filesize;
      const body = new BoundedBody(reader, size, () => fail(`cpio entry '${name}' at offset ${offset} is truncated: it declares ${size} bytes`));
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
        bytes: (limit = 64 * 1024 * 1024) => body.all(limit, () => fail(`cpio entry '${name}' is ${size} bytes, more than the ${limit} bytes allowed in memory`)),
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
    if (!/^[0-9a-fA-F]{8}$/.test(text)) throw fail(`bad cpio header at offset ${offset}: ${field} field ${JSON.stringify(text)} is not 8 hex digits`);
    out[field] = Number.parseInt(text, 16);
  });
  return out;
}
