import type { Duplex } from 'node:stream';
import { decompressor, type DecompressionKind } from '../archive/compress.js';
import { KpkgError } from '../util/errors.js';

function isZlibError(error: Error): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** Resolves when the stream can take more input, or will never (closed or failed). */
function writable(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/**
 * Decompressed bytes buffered ahead of the consumer, at most. A stream's own buffer is a few
 * chunks: the decompressor (another process, on another core) would stop whenever the consumer
 * hashes or parses a chunk, and the two would take turns instead of running side by side.
 */
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

/**
 * `source` decompressed as it streams (xz, zstd and bzip2 by the system tools, gzip by zlib). A
 * failure on either side — the source truncated, the decompressor rejecting the data — fails the
 * iteration; stopping early kills the decompressor and stops reading the source.
 */
export async function* decompressed(
  kind: DecompressionKind,
  source: AsyncIterable<Buffer>,
): AsyncGenerator<Buffer, void, undefined> {
  const filter = decompressor(kind);
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  filter.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= READ_AHEAD_BYTES) filter.pause();
    notify();
  });
  filter.on('end', () => {
    ended = true;
    notify();
  });
  filter.on('error', (error: Error) => {
    // zlib's own errors (Z_DATA_ERROR, Z_BUF_ERROR: corrupt or cut-short gzip) are about the input.
    failure = isZlibError(error) ? new KpkgError(`corrupt ${kind} data: ${error.message}`, { cause: error }) : error;
    notify();
  });
  filter.on('close', () => {
    // Destroyed without an error and without an end: nothing more will come.
    if (!ended && failure === undefined)
      failure = new KpkgError(`${kind} decompressor closed before the end of its output`);
    notify();
  });
  const feeding = (async (): Promise<void> => {
    try {
      for await (const chunk of source) {
        if (filter.destroyed) return;
        if (!filter.write(chunk)) await writable(filter);
      }
      if (!filter.destroyed) filter.end();
    } catch (error) {
      filter.destroy(error instanceof Error ? error : new Error(String(error)));
    }
  })();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        queued -= chunk.length;
        if (filter.isPaused() && queued < READ_AHEAD_BYTES / 4) filter.resume();
        yield chunk;
        continue;
      }
      if (failure !== undefined) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    filter.destroy();
    await feeding;
  }
}
