import { Random } from '../random.js';

/**
 * An input cut into chunks of varied sizes (1 byte to 128 KiB), the same for the same chunk
 * seed: the stream readers meet headers and fields split across chunk boundaries.
 */
export function chunked(input: Buffer, chunkSeed: number): Buffer[] {
  const random = new Random(chunkSeed);
  const chunks: Buffer[] = [];
  for (let at = 0; at < input.length;) {
    const size = random.chance(0.2) ? 1 + random.below(16) : 1 << random.below(18);
    chunks.push(input.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** The same chunks as an async stream, as a file or a decompressor delivers them. */
export async function* chunkStream(input: Buffer, chunkSeed: number): AsyncGenerator<Buffer, void, undefined> {
  for (const chunk of chunked(input, chunkSeed)) yield await Promise.resolve(chunk);
}
