import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { KpkgError } from '../util/errors.js';
import { decompressed } from './decompressed.js';

async function drain(kind: 'gzip' | 'xz', input: Buffer): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of decompressed(
    kind,
    (async function* () {
      yield await Promise.resolve(input);
    })(),
  ))
    parts.push(chunk);
  return Buffer.concat(parts);
}

describe("decompressed: a corrupt stream is the input's fault (KpkgError), never a bare zlib error", () => {
  const text = Buffer.from('kernel headers '.repeat(200));
  const gzip = gzipSync(text);

  it('reads an intact gzip stream', async () => {
    assert.deepEqual(await drain('gzip', gzip), text);
  });

  it('a flipped byte in the deflate data or the CRC (found by fuzz/run: Z_DATA_ERROR escaped as a plain Error)', async () => {
    for (const at of [12, gzip.length - 6]) {
      const corrupt = Buffer.from(gzip);
      corrupt[at] = (corrupt[at] ?? 0) ^ 0xff;
      await assert.rejects(
        drain('gzip', corrupt),
        (e: unknown) => e instanceof KpkgError && /corrupt gzip data/.test(e.message),
        `byte ${at}`,
      );
    }
  });

  it('a gzip stream cut short (Z_BUF_ERROR "unexpected end of file")', async () => {
    await assert.rejects(
      drain('gzip', gzip.subarray(0, gzip.length - 10)),
      (e: unknown) => e instanceof KpkgError && /unexpected end of file/.test(e.message),
    );
  });
});
