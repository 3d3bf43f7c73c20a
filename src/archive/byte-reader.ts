/**
 * Pulls exact byte counts out of a chunked byte stream (a Node Readable, or any async iterable of
 * Uint8Array). The shared front end of the ar and tar readers: they never buffer more than one
 * header plus one incoming chunk, and they never wait for bytes that cannot come (end of input is
 * reported, not awaited).
 */
/** Bytes in chunks: a Node Readable, an async generator, or simply an array of Buffers. */
export type ByteSource = AsyncIterable<unknown> | Iterable<Uint8Array>;

export class ByteReader {
  readonly #source: AsyncIterator<unknown>;
  #pending: Buffer = Buffer.alloc(0);
  #ended = false;
  #position = 0;

  constructor(source: ByteSource) {
    this.#source = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : toAsync(source[Symbol.iterator]());
  }

  /** How many bytes have been consumed so far: the offset of the next byte. */
  get position(): number {
    return this.#position;
  }

  /** Exactly `n` bytes, or fewer only when the input ends first (the caller decides what that means). */
  async read(n: number): Promise<Buffer> {
    if (this.#pending.length >= n) return this.#take(n);
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n && (await this.#fill())) {
      const part = this.#take(Math.min(n - have, this.#pending.length));
      parts.push(part);
      have += part.length;
    }
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : Buffer.concat(parts, have);
  }

  /** Between 1 and `max` bytes without copying, or null at end of input. */
  async readSome(max: number): Promise<Buffer | null> {
    if (max <= 0) return Buffer.alloc(0);
    if (!(await this.#fill())) return null;
    return this.#take(Math.min(max, this.#pending.length));
  }

  /** Discards up to `n` bytes; returns how many were there. */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    while (skipped < n) {
      const part = await this.readSome(n - skipped);
      if (part === null) break;
      skipped += part.length;
    }
    return skipped;
  }

  /** Reads and discards everything left. */
  async drain(): Promise<void> {
    while ((await this.readSome(Number.MAX_SAFE_INTEGER)) !== null) {
      // discard
    }
  }

  /** True when no byte is left. */
  async atEnd(): Promise<boolean> {
    return !(await this.#fill());
  }

  /** Stops the source early (destroys a Readable). */
  async close(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    await this.#source.return?.();
  }

  #take(n: number): Buffer {
    const out = this.#pending.subarray(0, n);
    this.#pending = this.#pending.subarray(n);
    this.#position += n;
    return out;
  }

  async #fill(): Promise<boolean> {
    while (this.#pending.length === 0) {
      if (this.#ended) return false;
      const next = await this.#source.next();
      if (next.done === true) {
        this.#ended = true;
        return false;
      }
      const chunk: unknown = next.value;
      if (!(chunk instanceof Uint8Array)) {
        throw new TypeError('ByteReader needs a byte stream (Buffer/Uint8Array chunks), not strings or objects');
      }
      this.#pending = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
    return true;
  }
}

function toAsync(iterator: Iterator<unknown>): AsyncIterator<unknown> {
  return {
    next: () => Promise.resolve(iterator.next()),
    return: () => Promise.resolve(iterator.return?.() ?? { done: true, value: undefined }),
  };
}

/**
 * Exactly `size` bytes of a ByteReader handed out as a once-only stream: the body of one ar
 * member or tar entry. The archive reader calls finish() before moving on, which skips whatever
 * the consumer did not read.
 */
export class BoundedBody implements AsyncIterable<Buffer> {
  readonly #reader: ByteReader;
  readonly #truncated: () => Error;
  #remaining: number;
  #claimed = false;
  #closed = false;

  constructor(reader: ByteReader, size: number, truncated: () => Error) {
    this.#reader = reader;
    this.#remaining = size;
    this.#truncated = truncated;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer, void, undefined> {
    if (this.#claimed) throw new Error('an archive member body can be read only once');
    if (this.#closed) throw new Error('an archive member body must be read before moving on to the next member');
    this.#claimed = true;
    while (this.#remaining > 0) {
      const chunk = await this.#reader.readSome(Math.min(this.#remaining, 1 << 20));
      if (chunk === null) throw this.#truncated();
      this.#remaining -= chunk.length;
      yield chunk;
    }
  }

  /** The whole body in memory; `tooBig` is thrown when it is over `limit` bytes. */
  async all(limit: number, tooBig: () => Error): Promise<Buffer> {
    if (this.#remaining > limit) throw tooBig();
    const parts: Buffer[] = [];
    for await (const chunk of this) parts.push(chunk);
    return Buffer.concat(parts);
  }

  /** Skips whatever the consumer left unread. */
  async finish(): Promise<void> {
    this.#closed = true;
    if (this.#remaining === 0) return;
    const skipped = await this.#reader.skip(this.#remaining);
    if (skipped < this.#remaining) throw this.#truncated();
    this.#remaining = 0;
  }
}
