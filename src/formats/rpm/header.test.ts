import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RPM_TYPE, RPMTAG } from '../../archive/rpm.js';
import { readHeader } from '../../testing/rpm-header.js';
import { HeaderBuilder } from './header.js';

/** Any tag: the builder does not know what a tag means. */
const BIN_TAG = 7000;

test('tags are written in ascending order after the region entry, each aligned to its width', () => {
  const bytes = new HeaderBuilder()
    .int32(RPMTAG.SIZE, [123456])
    .string(RPMTAG.NAME, 'kpkg')
    .int16(RPMTAG.FILEMODES, [0o100644, 0o40755])
    .i18nString(RPMTAG.SUMMARY, 'a summary')
    .int64(RPMTAG.LONGSIZE, [2 ** 40])
    .strings(RPMTAG.BASENAMES, ['a.h', 'b'])
    .binary(BIN_TAG, Buffer.from([1, 2, 3]))
    .encode(RPMTAG.HEADERIMMUTABLE);
  const { index, store, header } = readHeader(bytes);
  const tags = index.map((e) => e.tag);
  assert.equal(tags[0], RPMTAG.HEADERIMMUTABLE);
  assert.deepEqual(
    tags.slice(1),
    [...tags.slice(1)].sort((a, b) => a - b),
  );
  assert.ok(tags.includes(RPMTAG.HEADERI18NTABLE), 'an i18n string brings the locale table');
  assert.deepEqual(header.strings(RPMTAG.HEADERI18NTABLE), ['C']);
  for (const e of index.slice(1)) {
    const width = { [RPM_TYPE.INT16]: 2, [RPM_TYPE.INT32]: 4, [RPM_TYPE.INT64]: 8 }[e.type] ?? 1;
    assert.equal(e.offset % width, 0, `tag ${e.tag} at ${e.offset}`);
  }
  assert.equal(header.string(RPMTAG.NAME), 'kpkg');
  assert.equal(header.string(RPMTAG.SUMMARY), 'a summary');
  assert.deepEqual(header.numbers(RPMTAG.SIZE), [123456]);
  assert.deepEqual(header.numbers(RPMTAG.FILEMODES), [0o100644, 0o40755]);
  assert.deepEqual(header.numbers(RPMTAG.LONGSIZE), [2 ** 40]);
  assert.deepEqual(header.strings(RPMTAG.BASENAMES), ['a.h', 'b']);
  assert.deepEqual([...(header.binary(BIN_TAG) ?? [])], [1, 2, 3]);
  // The region: its entry points at the trailer, which spans the whole index backwards.
  const region = index[0];
  assert.deepEqual(region, { tag: RPMTAG.HEADERIMMUTABLE, type: RPM_TYPE.BIN, offset: store.length - 16, count: 16 });
  const trailer = store.subarray(store.length - 16);
  assert.equal(trailer.readUInt32BE(0), RPMTAG.HEADERIMMUTABLE);
  assert.equal(trailer.readInt32BE(8), -16 * index.length);
});

test('the same tags in any order give the same bytes', () => {
  const a = new HeaderBuilder().string(RPMTAG.NAME, 'x').int32(RPMTAG.SIZE, [1]).encode(RPMTAG.HEADERIMMUTABLE);
  const b = new HeaderBuilder().int32(RPMTAG.SIZE, [1]).string(RPMTAG.NAME, 'x').encode(RPMTAG.HEADERIMMUTABLE);
  assert.deepEqual(a, b);
});

test('values rpm could not read back are refused', () => {
  assert.throws(() => new HeaderBuilder().string(RPMTAG.NAME, 'a').string(RPMTAG.NAME, 'b'), /tag 1000 set twice/);
  assert.throws(
    () => new HeaderBuilder().string(RPMTAG.NAME, 'a\0b').encode(RPMTAG.HEADERIMMUTABLE),
    /tag 1000: "a\\u0000b" contains a NUL character/,
  );
  assert.throws(
    () => new HeaderBuilder().int16(RPMTAG.FILEMODES, [0x10000]).encode(RPMTAG.HEADERIMMUTABLE),
    /65536 does not fit its 16-bit field/,
  );
  assert.throws(
    () => new HeaderBuilder().int32(RPMTAG.SIZE, [-1]).encode(RPMTAG.HEADERIMMUTABLE),
    /-1 does not fit its 32-bit field/,
  );
  assert.throws(
    () => new HeaderBuilder().strings(RPMTAG.BASENAMES, []).encode(RPMTAG.HEADERIMMUTABLE),
    /has no values/,
  );
});
