/**
 * Test helper (not used by kpkg itself): one encoded rpm header (HeaderBuilder.encode) read back
 * as rpm's hdrblobInit reads it, to check its layout and its tags.
 */
import assert from 'node:assert/strict';
import { RPM_HEADER_MAGIC, RpmHeader } from '../archive/rpm.js';
import type { IndexEntry } from '../archive/rpm-header-checks.js';
import { KpkgError } from '../util/errors.js';

export interface ReadHeader {
  index: IndexEntry[];
  store: Buffer;
  header: RpmHeader;
}

export function readHeader(bytes: Buffer): ReadHeader {
  assert.deepEqual(bytes.subarray(0, 4), RPM_HEADER_MAGIC);
  const count = bytes.readUInt32BE(8);
  const size = bytes.readUInt32BE(12);
  assert.equal(bytes.length, 16 + count * 16 + size, 'intro, index and data store fill the header exactly');
  const index = Array.from({ length: count }, (_, i): IndexEntry => {
    const at = 16 + i * 16;
    return {
      tag: bytes.readUInt32BE(at),
      type: bytes.readUInt32BE(at + 4),
      offset: bytes.readUInt32BE(at + 8),
      count: bytes.readUInt32BE(at + 12),
    };
  });
  const store = bytes.subarray(16 + count * 16);
  return { index, store, header: new RpmHeader(index, store, (message) => new KpkgError(message)) };
}

/** Where one header sits in an .rpm file: its first byte, the byte after it, and its index entries. */
export interface HeaderPlace {
  start: number;
  end: number;
  /** Each entry with the file offsets of its index entry and of its data. */
  entries: (IndexEntry & { entryAt: number; dataAt: number })[];
}

function headerPlace(file: Buffer, start: number): HeaderPlace {
  const count = file.readUInt32BE(start + 8);
  const storeAt = start + 16 + count * 16;
  const entries = Array.from({ length: count }, (_, i) => {
    const entryAt = start + 16 + i * 16;
    const offset = file.readUInt32BE(entryAt + 8);
    return {
      tag: file.readUInt32BE(entryAt),
      type: file.readUInt32BE(entryAt + 4),
      offset,
      count: file.readUInt32BE(entryAt + 12),
      entryAt,
      dataAt: storeAt + offset,
    };
  });
  return { start, end: storeAt + file.readUInt32BE(start + 12), entries };
}

/** The signature header (after the 96-byte lead) and the main header (after the signature's padding) of an .rpm. */
export function rpmHeaders(file: Buffer): { signature: HeaderPlace; main: HeaderPlace } {
  const signature = headerPlace(file, 96);
  return { signature, main: headerPlace(file, signature.end + ((8 - (signature.end % 8)) % 8)) };
}

/** The main header's entry for `tag`. */
export function mainEntry(file: Buffer, tag: number): HeaderPlace['entries'][number] {
  const entry = rpmHeaders(file).main.entries.find((e) => e.tag === tag);
  assert.ok(entry !== undefined, `the main header has tag ${tag}`);
  return entry;
}

/** The .rpm with another signature header (`signature`: HeaderBuilder.encode's bytes), padded to 8 bytes. */
export function withSignature(file: Buffer, signature: Buffer): Buffer {
  const { main } = rpmHeaders(file);
  const pad = Buffer.alloc((8 - (signature.length % 8)) % 8);
  return Buffer.concat([file.subarray(0, 96), signature, pad, file.subarray(main.start)]);
}
