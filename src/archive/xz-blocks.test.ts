import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { BuildCache } from '../cache/build-cache.js';
import { sampleData, sha, through, tool } from '../testing/compress-fixtures.js';
import { countingStore } from '../testing/counting-store.js';
import { compressor, xzBlockSize } from './compress.js';
import { TAR_RECORD, tarStream, type TarEntry } from './tar.js';
import { writeXzTarMember, type BlockStore } from './xz-blocks.js';
import { singleBlockLayout, streamHeader, streamTrailer } from './xz-container.js';

const run = promisify(execFile);

/** Level 0: 1 MiB blocks, so a few MiB of entries make several blocks quickly. */
const LEVEL = 0;
const MTIME = 1700000000;

function file(name: string, data: Buffer, volatile = false): TarEntry {
  return {
    type: 'file',
    name,
    mode: 0o644,
    mtime: MTIME,
    size: data.length,
    content: { from: 'bytes', data },
    ...(volatile ? { volatile: true } : {}),
  };
}

/** ~3.3 MiB in 40 files, with a changelog (volatile) near the start, as in a headers package. */
function entries(version: string, volatile = true): TarEntry[] {
  const changelog = gzipSync(`linux-upstream (${version}) unstable; urgency=low\n\n  * Built.\n`);
  const list: TarEntry[] = [
    { type: 'dir', name: './', mode: 0o755, mtime: MTIME },
    file('./changelog.Debian.gz', changelog, volatile),
  ];
  for (let i = 0; i < 40; i++)
    list.push(file(`./include/file-${String(i).padStart(2, '0')}.h`, sampleData(80 * 1024 + i * 997).subarray(i)));
  return list;
}

/** The blocks of an .xz file: uncompressed size and compressed bytes of each (xz --robot --list). */
async function blocksOf(path: string): Promise<{ uncompressed: number; bytes: Buffer }[]> {
  const { stdout } = await run('xz', ['--robot', '--list', '-vv', path]);
  const data = await readFile(path);
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('block\t'))
    .map((l) => l.split('\t'))
    .map((f) => ({ uncompressed: Number(f[7]), bytes: data.subarray(Number(f[4]), Number(f[4]) + Number(f[6])) }));
}

void describe('xz tar members block by block', () => {
  let work = '';
  let cache: BuildCache | undefined;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kpkg-xz-blocks-'));
    cache = await BuildCache.open({ cacheDir: join(work, 'cache'), enabled: true });
  });
  after(async () => {
    await cache?.close();
    await rm(work, { recursive: true, force: true });
  });
  const store = (): BlockStore & { made: number } => {
    assert.ok(cache !== undefined);
    return countingStore(cache);
  };

  void it("a tar of less than a quarter block is one block: the bytes xz -T2 writes for it (dpkg-deb's)", async () => {
    const list = entries('1.0-1', false).slice(0, 4);
    const out = join(work, 'small.xz');
    await writeXzTarMember(list, out, { level: LEVEL });
    const tar = await readStream(tarStream(list));
    assert.ok(tar.length < xzBlockSize(LEVEL) / 4, `${tar.length} bytes`);
    assert.equal(sha(await readFile(out)), sha(await through(compressor('xz', LEVEL), tar)));
    assert.equal(xzBlockSize(LEVEL), 1024 * 1024);
  });

  void it('a file that changes size changes its own block, seldom the next, and the end-of-archive block: the others are cut at the same entries', async () => {
    // 400 files of about 8 KiB: anchors every 16 entries or so, blocks of a quarter MiB and a little more.
    const many = (changed: number): TarEntry[] => [
      { type: 'dir', name: './', mode: 0o755, mtime: MTIME },
      ...Array.from({ length: 400 }, (_, i) =>
        file(
          `./lib/modules/7.0/kernel/m${String(i).padStart(3, '0')}.ko`,
          sampleData(i === changed ? 11000 : 8000).subarray(i % 7),
        ),
      ),
    ];
    const reference = join(work, 'before.xz');
    await writeXzTarMember(many(-1), reference, { level: LEVEL });
    const a = await blocksOf(reference);
    assert.ok(a.length >= 8, `${a.length} blocks`);
    assert.ok(Math.max(...a.map((block) => block.uncompressed)) <= xzBlockSize(LEVEL));
    assert.ok((a.at(-1)?.uncompressed ?? 0) <= TAR_RECORD + 1024, 'the end-of-archive zeros are a block of their own');
    const changedBlocks: number[] = [];
    for (const changed of [20, 100, 200, 300]) {
      const out = join(work, `changed-${changed}.xz`);
      await writeXzTarMember(many(changed), out, { level: LEVEL });
      assert.ok((await tool('xz', ['-dc'], await readFile(out))).equals(await readStream(tarStream(many(changed)))));
      const b = await blocksOf(out);
      assert.equal(b.length, a.length);
      const differ = a.slice(0, -1).filter((block, i) => !block.bytes.equals(b[i]?.bytes ?? Buffer.alloc(0)));
      changedBlocks.push(differ.length);
    }
    assert.ok(
      changedBlocks.every((n) => n >= 1 && n <= 2) && changedBlocks.filter((n) => n === 1).length >= 3,
      `blocks changed besides the end of the archive, for each file changed: ${changedBlocks.join(', ')}`,
    );
  });

  void it('a volatile entry is a block of its own; the tar decompresses whole; the store does not change the bytes', async () => {
    const list = entries('1.0-1');
    const tar = await readStream(tarStream(list));
    const out = join(work, 'volatile.xz');
    await writeXzTarMember(list, out, { level: LEVEL });
    assert.ok((await tool('xz', ['-dc'], await readFile(out))).equals(tar));
    const blocks = await blocksOf(out);
    // './' (one header) before it; the changelog's header and data (one 512-byte block) alone.
    assert.deepEqual(
      blocks.slice(0, 2).map((b) => b.uncompressed),
      [512, 1024],
    );
    const stored = join(work, 'stored.xz');
    await writeXzTarMember(list, stored, { level: LEVEL, store: store() });
    assert.equal(sha(await readFile(stored)), sha(await readFile(out)));
  });

  void it("a new version compresses only the changelog's block again; every other block is the same bytes", async () => {
    // A cache of its own: the test before filled the other one with these blocks.
    const own = await BuildCache.open({ cacheDir: join(work, 'cache-versions'), enabled: true });
    try {
      const blockStore = countingStore(own);
      const first = join(work, 'v1.xz');
      await writeXzTarMember(entries('1.0-1'), first, { level: LEVEL, store: blockStore });
      const blocks = blockStore.made;
      assert.ok(blocks >= 4, `${blocks} blocks made`);
      const second = join(work, 'v2.xz');
      await writeXzTarMember(entries('1.0-1+build1234'), second, { level: LEVEL, store: blockStore });
      assert.equal(blockStore.made, blocks + 1);
      const [a, b] = [await blocksOf(first), await blocksOf(second)];
      assert.equal(a.length, b.length);
      const differ = a.map((block, i) => !block.bytes.equals(b[i]?.bytes ?? Buffer.alloc(0)));
      assert.deepEqual(
        differ.map((d, i) => (d ? i : -1)).filter((i) => i >= 0),
        [1],
      );
      assert.ok(
        (await tool('xz', ['-dc'], await readFile(second))).equals(
          await readStream(tarStream(entries('1.0-1+build1234'))),
        ),
      );
    } finally {
      await own.close();
    }
  });
});

void describe('the xz container', () => {
  void it('a stream of no blocks is an empty .xz that xz accepts', async () => {
    const empty = Buffer.concat([streamHeader(), streamTrailer([])]);
    assert.equal((await tool('xz', ['-dc'], empty)).length, 0);
  });

  void it('finds the block of a single-block stream, and refuses a stream of two', async () => {
    const one = await tool('xz', ['-c', '-0', '-T2', '--check=crc64'], sampleData(200 * 1024));
    const layout = singleBlockLayout(one.length, one.subarray(0, 12), one.subarray(Math.max(0, one.length - 64)));
    assert.equal(layout.offset, 12);
    assert.equal(layout.uncompressedSize, 200 * 1024);
    const rebuilt = Buffer.concat([
      streamHeader(),
      one.subarray(layout.offset, layout.offset + layout.length),
      streamTrailer([layout]),
    ]);
    assert.ok(rebuilt.equals(one));
    const two = await tool('xz', ['-c', '-0', '-T2', '--check=crc64', '--block-size=131072'], sampleData(200 * 1024));
    assert.throws(
      () => singleBlockLayout(two.length, two.subarray(0, 12), two.subarray(two.length - 64)),
      /2 blocks where one was expected/,
    );
    assert.throws(() => singleBlockLayout(40, Buffer.alloc(12), Buffer.alloc(40)), /no stream header/);
  });
});

async function readStream(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
