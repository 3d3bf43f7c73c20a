/**
 * A tar member compressed with xz one block at a time, each block kept in a store under the digest
 * of its uncompressed bytes, so that a member that differs from an earlier one in a few entries is
 * made by compressing only the blocks those entries are in.
 *
 * Where the blocks are cut — from the entries alone, so that a file that changes size moves no
 * boundary but its own block's end:
 *  - before an *anchor* entry (one in ANCHOR_EVERY, chosen by a hash of its name) that starts at
 *    least a quarter of xz's block size past the block's start; a module rebuilt with other bytes
 *    changes its block, and the blocks after it are cut at the same entries and are the same bytes;
 *  - at xzBlockSize(level) bytes (24 MiB at -6, as xz's multi-threaded encoder cuts), where no anchor
 *    came first (inside a big file);
 *  - before the end-of-archive zeros, whose length follows the whole tar's (the same quarter-block rule);
 *  - on both sides of an entry marked `volatile` (the changelog, whose bytes change with the version
 *    alone), so the blocks after it are the same bytes whatever the version.
 * A tar of less than a quarter block is one block: what `xz -T2` (and dpkg-deb) write for it. Bigger
 * members have more, smaller blocks than theirs, and other bytes (docs/decisions.md). Blocks are
 * compressed alone (compress.ts, xzBlockCompressor), as many at once as xz would use threads, and put
 * together into one stream (xz-container.ts). The output depends only on the entries and the level,
 * never on the store or the schedule.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { KpkgError } from '../util/errors.js';
import { settledOrFirstError, Slots } from '../util/pool.js';
import { endWritable, writeChunk } from '../util/writable.js';
import { compressionLevel, compressorIdentity, encoderThreads, xzBlockCompressor, xzBlockSize } from './compress.js';
import { tarChunks, type TarEntry, type TarWriteOptions } from './tar.js';
import { singleBlockIn, streamHeader, streamTrailer, type BlockLayout } from './xz-container.js';

/** Where compressed blocks are kept; the same shape as compressed-member.ts's MemberStore. */
export interface BlockStore {
  member<Meta>(key: string, make: (dir: string) => Promise<Meta>): Promise<{ dir: string; meta: Meta }>;
}

export interface XzMemberOptions {
  level?: number | undefined;
  store?: BlockStore | undefined;
  /** Passed to the tar writer (digests of the files on the same pass). */
  tar?: TarWriteOptions | undefined;
}

/**
 * Names the rules above for the keys of whole members (compressed-member.ts): a member made under
 * other rules has other bytes. Change it with any rule.
 */
export const XZ_MEMBER_LAYOUT = 'xz blocks at anchors 1/16, a quarter block at least, the trailer apart';

/** A block ends at an anchor entry only once it holds this fraction of xz's block size. */
const MIN_BLOCK_FRACTION = 4;

/** One entry in this many (by its name's hash) is an anchor. */
const ANCHOR_EVERY = 16;

/** Whether an entry may start a block: FNV-1a of its name, so the choice depends on nothing else. */
function isAnchor(name: string): boolean {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(name, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % ANCHOR_EVERY === 0;
}

/** A compressed block on disk: `length` bytes at `offset` of `path` (a single-block xz stream). */
type StoredBlock = BlockLayout & { path: string };

/** The uncompressed bytes of one block, written to a file and hashed on the way. */
class BlockFile {
  readonly #out: WriteStream;
  readonly #hash = createHash('sha256');

  constructor(readonly path: string) {
    this.#out = createWriteStream(path);
    this.#out.on('error', () => undefined); // reported by the next write or close (util/writable.ts)
  }

  async write(bytes: Buffer): Promise<void> {
    this.#hash.update(bytes);
    await writeChunk(this.#out, bytes);
  }

  /** Closes the file; the hex digest of what was written. */
  async close(): Promise<string> {
    await endWritable(this.#out);
    return this.#hash.digest('hex');
  }

  destroy(): void {
    this.#out.destroy();
  }
}

/** Compresses the file at `input` into `dir`/block.xz; where its one block is. */
async function compressBlock(input: string, dir: string, level: number): Promise<BlockLayout> {
  const output = join(dir, 'block.xz');
  await pipeline(createReadStream(input), xzBlockCompressor(level), createWriteStream(output));
  return singleBlockIn(output);
}

/** Writes the xz-compressed tar of `entries` to `file`. */
export async function writeXzTarMember(
  entries: readonly TarEntry[],
  file: string,
  options: XzMemberOptions = {},
): Promise<void> {
  const level = compressionLevel('xz', options.level);
  const blockSize = xzBlockSize(level);
  const minBlock = blockSize / MIN_BLOCK_FRACTION;
  const identity = `xz block 1\0${await compressorIdentity('xz')}\0${level}\0${blockSize}`;
  // Beside `file`, whose directory exists: never re-created here after an interrupt removed it.
  const scratch = await mkdtemp(`${file}.blocks-`);
  const compressing = new Slots(encoderThreads());
  const blocks: Promise<StoredBlock>[] = [];

  const store = async (input: string, digest: string, n: number): Promise<StoredBlock> => {
    try {
      const make = (dir: string): Promise<BlockLayout> => compressing.run(() => compressBlock(input, dir, level));
      if (options.store !== undefined) {
        const key = createHash('sha256').update(`${identity}\0${digest}`).digest('hex');
        const { dir, meta } = await options.store.member(key, make);
        return { ...meta, path: join(dir, 'block.xz') };
      }
      const dir = join(scratch, `${n}.xz`);
      await mkdir(dir);
      return { ...(await make(dir)), path: join(dir, 'block.xz') };
    } finally {
      await rm(input, { force: true });
    }
  };

  let block: BlockFile | undefined;
  try {
    // Offsets where a block must end: both sides of each volatile entry; and where it may end, the
    // starts of anchor entries (tar.ts reports every entry's start before producing any of its
    // bytes, so both are known before they are reached).
    const cuts: number[] = [];
    const anchors: number[] = [];
    let nextAnchor = 0;
    let afterVolatile = false;
    const onEntryStart = (index: number, offset: number): void => {
      if (afterVolatile) cuts.push(offset);
      const entry = entries[index];
      afterVolatile = entry?.type === 'file' && entry.volatile === true;
      if (afterVolatile) cuts.push(offset);
      // The end-of-archive padding (index past the last entry) depends on the whole tar's length: an anchor too.
      if (entry === undefined || isAnchor(entry.name)) anchors.push(offset);
    };
    let offset = 0;
    let blockStart = 0;
    const endBlock = async (): Promise<void> => {
      blockStart = offset;
      if (block === undefined) return;
      const done = block;
      block = undefined;
      const n = blocks.length;
      const stored = store(done.path, await done.close(), n);
      stored.catch(() => undefined); // awaited below, after the whole tar is read
      blocks.push(stored);
    };
    for await (const chunk of tarChunks(entries, { ...options.tar, onEntryStart })) {
      let at = 0;
      while (at < chunk.length) {
        while (cuts[0] !== undefined && cuts[0] <= blockStart) cuts.shift();
        const cut = cuts[0];
        if (cut !== undefined && cut < offset)
          throw new KpkgError(`xz blocks: a cut at ${cut} was reported after byte ${offset} was written`);
        // The first anchor at least a minimum block past the start ends the block there.
        while (nextAnchor < anchors.length && (anchors[nextAnchor] ?? 0) < blockStart + minBlock) nextAnchor++;
        const anchor = anchors[nextAnchor] ?? Number.POSITIVE_INFINITY;
        const end = Math.min(blockStart + blockSize, cut ?? Number.POSITIVE_INFINITY, anchor);
        if (end <= offset) {
          await endBlock();
          continue;
        }
        const take = Math.min(chunk.length - at, end - offset);
        block ??= new BlockFile(join(scratch, String(blocks.length)));
        await block.write(chunk.subarray(at, at + take));
        at += take;
        offset += take;
        if (offset === end) await endBlock();
      }
    }
    await endBlock();
    const stored = await settledOrFirstError(blocks);
    await pipeline(async function* () {
      yield streamHeader();
      for (const b of stored) yield* createReadStream(b.path, { start: b.offset, end: b.offset + b.length - 1 });
      yield streamTrailer(stored);
    }, createWriteStream(file));
  } finally {
    block?.destroy();
    await Promise.allSettled(blocks);
    await rm(scratch, { recursive: true, force: true });
  }
}
