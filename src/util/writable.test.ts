import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { setImmediate as tick } from 'node:timers/promises';
import { ArWriter } from '../archive/ar.js';
import { endWritable, writeChunk } from './writable.js';

/** A sink that takes one byte at a time and never calls back: every write after the first waits for 'drain'. */
function stalledSink(): Writable {
  return new Writable({ highWaterMark: 1, write: () => undefined });
}

const full = (): Error => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });

test('a wait for room ends with the error when the output fails during it', async () => {
  const out = stalledSink();
  const writing = writeChunk(out, Buffer.from('abc'));
  out.destroy(full());
  await assert.rejects(writing, /ENOSPC/);
});

test('a write to an output that already failed rejects at once, with that failure (no wait for a drain that never comes)', async () => {
  const out = stalledSink();
  out.on('error', () => undefined);
  out.destroy(full());
  await tick();
  await assert.rejects(writeChunk(out, Buffer.from('abc')), /ENOSPC/);
  await assert.rejects(endWritable(out), /ENOSPC/);
});

test('an output closed without an error is a failure too', async () => {
  const out = stalledSink();
  out.destroy();
  await tick();
  await assert.rejects(writeChunk(out, Buffer.from('x')), /closed before everything was written/);
});

/** A sink that takes every write a moment later, one at a time: each write waits for a 'drain' that comes. */
function slowSink(): Writable {
  return new Writable({ highWaterMark: 1, write: (_chunk, _encoding, done) => setImmediate(done) });
}

test('ArWriter: the output failing between two chunks of a member fails add() instead of hanging', async () => {
  const out = slowSink();
  out.on('error', () => undefined);
  const ar = new ArWriter(out);
  async function* content(): AsyncGenerator<Uint8Array> {
    yield Buffer.alloc(10);
    // The file system fills while the next chunk is read: the stream is destroyed between two writes.
    out.destroy(full());
    await tick();
    yield Buffer.alloc(10);
  }
  const adding = ar.add({ name: 'data.tar.xz', size: 20, mtime: 0 }, content());
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    adding.then(
      () => 'resolved',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    ),
    new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting after 2 s'), 2000))),
  ]);
  clearTimeout(timer);
  assert.match(String(outcome), /ENOSPC/);
});

test('a stream that failed but does not destroy itself (autoDestroy off) fails the write at once', async () => {
  const failing = new Writable({
    highWaterMark: 1,
    autoDestroy: false,
    write: (_chunk, _encoding, done) => done(full()),
  });
  failing.on('error', () => undefined);
  failing.write(Buffer.from('a'));
  await tick();
  assert.equal(failing.destroyed, false);
  await assert.rejects(writeChunk(failing, Buffer.from('b')), /ENOSPC/);
});
