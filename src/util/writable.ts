/**
 * Writing to a Writable that may fail at any moment — a file on a full disk, a pipeline whose
 * other end gave up. Waiting for 'drain' or 'finish' alone hangs forever when the stream was
 * destroyed before the wait began (it emits its 'error' once, and a write after that only returns
 * false): these waits also end on 'error' and 'close', and fail at once on a stream already gone.
 */
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

function failureOf(out: Writable): Error {
  return out.errored ?? new Error('the output was closed before everything was written to it');
}

/** A stream that will take no more bytes: destroyed, failed (a stream that does not destroy itself on error), or ended. */
function gone(out: Writable): boolean {
  return out.destroyed || out.errored !== null || out.writableEnded;
}

/** Writes `chunk`; resolves when `out` can take more, rejects when it failed or was closed. */
export async function writeChunk(out: Writable, chunk: Uint8Array): Promise<void> {
  if (gone(out)) throw failureOf(out);
  if (out.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = (): void => settle();
    const onError = (error: Error): void => settle(error);
    const onClose = (): void => settle(failureOf(out));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
    // Gone with the write itself, or between it and here: no event will come.
    if (gone(out)) settle(failureOf(out));
  });
}

/** Ends `out` and resolves when everything reached its destination; rejects when it failed. */
export async function endWritable(out: Writable): Promise<void> {
  if (out.destroyed || out.errored !== null) throw failureOf(out);
  out.end();
  await finished(out);
}
