/** The container alone, on streams built here; archive/xz-blocks.test.ts checks it against xz itself. */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { singleBlockIn, singleBlockLayout, streamHeader, streamTrailer } from './xz-container.js';

const dir = await mkdtemp(join(tmpdir(), 'kpkg-xz-container-'));
after(() => rm(dir, { recursive: true, force: true }));

/** A stream around one made-up block of `unpadded` bytes (padded to 4, as xz pads blocks). */
function streamOf(unpadded: number, uncompressed: number): Buffer {
  const block = Buffer.alloc(Math.ceil(unpadded / 4) * 4, 0xab);
  return Buffer.concat([
    streamHeader(),
    block,
    streamTrailer([{ unpaddedSize: unpadded, uncompressedSize: uncompressed }]),
  ]);
}

const layoutOf = (stream: Buffer): ReturnType<typeof singleBlockLayout> =>
  singleBlockLayout(stream.length, stream.subarray(0, 12), stream.subarray(Math.max(0, stream.length - 64)));

test("the one block's place and sizes, also with sizes that take several bytes in the index", async () => {
  assert.deepEqual(layoutOf(streamOf(61, 1000)), { offset: 12, length: 64, unpaddedSize: 61, uncompressedSize: 1000 });
  const big = streamOf(300_001, 2 ** 33);
  assert.deepEqual(layoutOf(big), { offset: 12, length: 300_004, unpaddedSize: 300_001, uncompressedSize: 2 ** 33 });
  const file = join(dir, 'one.xz');
  await writeFile(file, big);
  assert.deepEqual(await singleBlockIn(file), layoutOf(big));
});

test('streams it cannot take apart are refused, saying why', () => {
  const good = streamOf(61, 1000);
  const crc32Stream = Buffer.from(good);
  crc32Stream[7] = 0x01;
  assert.throws(() => layoutOf(crc32Stream), /xz output not understood: not a CRC64-checked stream/);
  assert.throws(() => layoutOf(Buffer.concat([good, Buffer.alloc(4)])), /no stream footer \(or stream padding\)/);
  const two = Buffer.concat([
    streamHeader(),
    Buffer.alloc(16),
    streamTrailer([
      { unpaddedSize: 8, uncompressedSize: 1 },
      { unpaddedSize: 8, uncompressedSize: 1 },
    ]),
  ]);
  assert.throws(() => layoutOf(two), /2 blocks where one was expected/);
  const shorter = Buffer.concat([
    streamHeader(),
    Buffer.alloc(60),
    streamTrailer([{ unpaddedSize: 61, uncompressedSize: 1 }]),
  ]);
  assert.throws(() => layoutOf(shorter), /block size disagrees with the index/);
  assert.throws(() => streamTrailer([{ unpaddedSize: 0, uncompressedSize: 0 }]), /block of unpadded size 0/);
});
