/**
 * Reading the disk files an archive writer (tar.ts, cpio.ts) puts into its output: whole reads
 * of small files kept in flight ahead of the writer, streamed reads of large ones, and in both
 * a check that the file still has the size its entry declares.
 */
import * as fs from 'node:fs';
import { KpkgError } from '../util/errors.js';

/** How far an archive writer reads ahead of itself. */
export interface FileReadAheadOptions {
  /** Disk reads kept in flight ahead of the writer (default 32). */
  prefetch?: number;
  /** Bytes of file data read ahead but not yet written, at most (default 64 MiB). */
  prefetchBytes?: number;
  /** Files above this size are streamed when their turn comes instead of read ahead whole (default 4 MiB). */
  wholeFileLimit?: number;
}

export function readFailed(path: string, cause: unknown): KpkgError {
  const code = cause instanceof Error && 'code' in cause ? String(cause.code) : String(cause);
  return new KpkgError(`cannot read ${path} (${code}) while writing the archive`, { where: path, cause });
}

export function sizeChanged(path: string, expected: number, found: string): KpkgError {
  return new KpkgError(`${path} changed while being packaged: expected ${expected} bytes, found ${found}`, {
    where: path,
    hint: 'do not modify the tree while kpkg runs, then run kpkg again',
  });
}

/**
 * Reads a whole file whose size is known: open, read size+1 bytes (to notice growth), close.
 * Uses the callback API: fs/promises' FileHandle costs several times more per small file.
 */
export async function readKnownSize(path: string, size: number): Promise<Buffer> {
  let fd: number;
  try {
    fd = await new Promise<number>((resolve, reject) =>
      fs.open(path, 'r', (error, handle) => (error === null ? resolve(handle) : reject(error))),
    );
  } catch (error) {
    throw readFailed(path, error);
  }
  try {
    const buffer = Buffer.allocUnsafe(size + 1);
    let filled = 0;
    for (;;) {
      const at = filled;
      const bytesRead = await new Promise<number>((resolve, reject) =>
        fs.read(fd, buffer, at, buffer.length - at, at, (error, count) =>
          error === null ? resolve(count) : reject(error),
        ),
      );
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    if (filled !== size) throw sizeChanged(path, size, filled > size ? 'more' : `${filled}`);
    return buffer.subarray(0, size);
  } catch (error) {
    throw error instanceof KpkgError ? error : readFailed(path, error);
  } finally {
    await new Promise<void>((resolve) => fs.close(fd, () => resolve()));
  }
}

/** Streams a large file, checking it is exactly `size` bytes long. */
export async function* streamKnownSize(path: string, size: number): AsyncGenerator<Buffer, void, undefined> {
  let seen = 0;
  try {
    for await (const chunk of fs.createReadStream(path, { highWaterMark: 1 << 20 })) {
      const buffer = chunk as Buffer;
      seen += buffer.length;
      if (seen > size) throw sizeChanged(path, size, 'more');
      yield buffer;
    }
  } catch (error) {
    throw error instanceof KpkgError ? error : readFailed(path, error);
  }
  if (seen !== size) throw sizeChanged(path, size, `${seen}`);
}

/** Where an entry's content lies on disk, or undefined for an entry with none to read. */
export type DiskContent<E> = (entry: E) => { path: string; size: number } | undefined;

/**
 * Keeps up to `prefetch` whole-file reads in flight ahead of the writer, handing contents back
 * in entry order. Without it a headers tree (5-20k small files) costs one disk round trip per
 * file, several seconds instead of well under one.
 */
export class ReadAhead<E> {
  readonly #entries: readonly E[];
  readonly #diskContent: DiskContent<E>;
  readonly #maxReads: number;
  readonly #maxBytes: number;
  readonly #wholeFileLimit: number;
  readonly #reads = new Map<number, { size: number; data: Promise<Buffer> }>();
  #next = 0;
  #bytes = 0;

  constructor(entries: readonly E[], diskContent: DiskContent<E>, options: FileReadAheadOptions) {
    this.#entries = entries;
    this.#diskContent = diskContent;
    this.#maxReads = Math.max(1, options.prefetch ?? 32);
    this.#maxBytes = options.prefetchBytes ?? 64 * 1024 * 1024;
    this.#wholeFileLimit = options.wholeFileLimit ?? 4 * 1024 * 1024;
  }

  /** Whether a file of `size` bytes is read whole (and ahead) rather than streamed. */
  readsWhole(size: number): boolean {
    return size <= this.#wholeFileLimit;
  }

  /** Starts reads for upcoming entries, up to the limits, never behind `from`. */
  fill(from: number): void {
    if (this.#next < from) this.#next = from;
    while (this.#next < this.#entries.length && this.#reads.size < this.#maxReads) {
      const entry = this.#entries[this.#next];
      const disk = entry === undefined ? undefined : this.#diskContent(entry);
      if (disk !== undefined && this.readsWhole(disk.size)) {
        // Always allow one read, however large, so progress never stalls.
        if (this.#reads.size > 0 && this.#bytes + disk.size > this.#maxBytes) return;
        const data = readKnownSize(disk.path, disk.size);
        data.catch(() => undefined); // awaited later in order; an abandoned read must not be "unhandled"
        this.#reads.set(this.#next, { size: disk.size, data });
        this.#bytes += disk.size;
      }
      this.#next++;
    }
  }

  /** The content of entry `index` (started now if it was not read ahead). */
  async take(index: number, path: string, size: number): Promise<Buffer> {
    const read = this.#reads.get(index);
    if (read === undefined) return readKnownSize(path, size);
    this.#reads.delete(index);
    this.#bytes -= read.size;
    return read.data;
  }
}
