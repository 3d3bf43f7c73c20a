/**
 * Test helper (not used by kpkg itself): one encoded rpm header (HeaderBuilder.encode) read back
 * as rpm's hdrblobInit reads it, to check its layout and its tags.
 */
import assert from 'node:assert/strict';
import { RPM_HEADER_MAGIC, RpmHeader } from '../archive/rpm.js';
import { KpkgError } from '../util/errors.js';

export interface IndexEntry {
  tag: number;
  type: number;
  offset: number;
  count: number;
}

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
