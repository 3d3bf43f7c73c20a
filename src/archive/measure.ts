/**
 * A pass-through stream that hashes and counts the bytes going through it, for the digest and
 * size of a package as it is written (without reading the file back).
 */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

export interface MeasuringStream {
  /** Put it in a pipeline: it passes every chunk on unchanged. */
  readonly stream: Transform;
  /** The hex digest of every byte that went through; call it once, after the stream has ended. */
  digest(): string;
  /** The number of bytes that went through so far. */
  readonly size: number;
}

export function measuringStream(algorithm: 'md5' | 'sha1' | 'sha256' = 'sha256'): MeasuringStream {
  const hash = createHash(algorithm);
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      callback(null, chunk);
    },
  });
  return {
    stream,
    digest: () => hash.digest('hex'),
    get size() {
      return size;
    },
  };
}
