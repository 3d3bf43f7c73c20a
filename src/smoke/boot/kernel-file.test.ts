import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { execa } from 'execa';
import { compressionOf, decompressKernel } from './kernel-file.js';

let work = '';

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-kernel-file-'));
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Bytes that look like an arm64 Image: its header, then noise that does not compress away. */
function image(): Buffer {
  const header = Buffer.alloc(64);
  header.write('ARMd', 56, 'latin1');
  return Buffer.concat([header, randomBytes(200_000), Buffer.alloc(100_000, 0x41)]);
}

/** `bytes` compressed by the real program into `name` in the work directory. */
async function compressed(program: 'gzip' | 'xz' | 'zstd', bytes: Buffer, name: string): Promise<string> {
  const raw = join(work, `${name}.raw`);
  await writeFile(raw, bytes);
  const out = join(work, name);
  await execa(program, ['-c', raw], { stdout: { file: out } });
  return out;
}

test('compressionOf knows gzip, xz and zstd by their magic', () => {
  assert.equal(compressionOf(Uint8Array.from([0x1f, 0x8b, 0x08, 0x00])), 'gzip');
  assert.equal(compressionOf(Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04])), 'xz');
  assert.equal(compressionOf(Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0x24])), 'zstd');
});

test('compressionOf: a raw image, a near miss and too few bytes are none', () => {
  assert.equal(compressionOf(image().subarray(0, 8)), undefined);
  assert.equal(compressionOf(Uint8Array.from([0x4d, 0x5a, 0x00, 0x00])), undefined);
  assert.equal(compressionOf(Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x01])), undefined);
  assert.equal(compressionOf(Uint8Array.from([0x28, 0xb5, 0x2f])), undefined);
  assert.equal(compressionOf(Uint8Array.from([0x1f])), undefined);
  assert.equal(compressionOf(new Uint8Array(0)), undefined);
});

for (const program of ['gzip', 'xz', 'zstd'] as const) {
  test(`a kernel compressed by ${program} comes back byte for byte`, async () => {
    const bytes = image();
    const source = await compressed(program, bytes, `Image.${program}`);
    assert.equal(compressionOf(await readFile(source)), program);
    const target = join(work, 'kernel');
    assert.equal(await decompressKernel(source, target), true);
    assert.ok((await readFile(target)).equals(bytes));
  });
}

test('a raw kernel is not decompressed, and nothing is written', async () => {
  const source = join(work, 'Image');
  await writeFile(source, image());
  const target = join(work, 'kernel');
  assert.equal(await decompressKernel(source, target), false);
  await assert.rejects(access(target), { code: 'ENOENT' });
});

test('a truncated xz kernel is an error, not a short kernel passed on', async () => {
  const whole = await readFile(await compressed('xz', image(), 'Image.xz'));
  const source = join(work, 'Image.cut.xz');
  await writeFile(source, whole.subarray(0, whole.length / 2));
  await assert.rejects(decompressKernel(source, join(work, 'kernel')));
});
