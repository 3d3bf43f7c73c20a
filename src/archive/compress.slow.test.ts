// The compressors' output for 3 MiB (several blocks) against the system tools' at every thread
// count (not in test:unit; the other compressor tests are in compress.test.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compressor } from './compress.js';
import { sampleData, sha, through, tool } from '../testing/compress-fixtures.js';

/** 3 MiB: several blocks for the multi-threaded encoders, whose output must not depend on the thread count. */
const input = sampleData(3 * 1024 * 1024);

void describe('compressor', () => {
  void it('xz output does not depend on the thread count (multi-threaded encoder, fixed blocks)', async () => {
    // At -0 the block size is 1 MiB (3 x 256 KiB dictionary, at least 1 MiB): 3 MiB make 3 blocks.
    const ours = await through(compressor('xz', 0), input);
    for (const threads of ['+1', '2', '3', '4']) {
      const theirs = await tool('xz', ['-c', '-0', `-T${threads}`], input);
      assert.equal(sha(theirs), sha(ours), `xz -T${threads} differs`);
    }
    // The single-threaded encoder (-T1) writes other bytes: the reason we never use it.
    assert.notEqual(sha(await tool('xz', ['-c', '-0', '-T1'], input)), sha(ours));
  });

  void it('zstd output does not depend on the thread count', async () => {
    const ours = await through(compressor('zstd', 3), input);
    for (const threads of ['1', '2', '4']) {
      assert.equal(
        sha(await tool('zstd', ['-c', '-q', '-3', `-T${threads}`], input)),
        sha(ours),
        `zstd -T${threads} differs`,
      );
    }
  });

  void it('gzip headers carry no name and no timestamp', async () => {
    const compressed = await through(compressor('gzip'), input);
    assert.deepEqual([...compressed.subarray(0, 4)], [0x1f, 0x8b, 8, 0]); // magic, deflate, no flags
    assert.equal(compressed.readUInt32LE(4), 0); // mtime
  });
});
