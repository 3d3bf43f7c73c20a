import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { BoundedBody, ByteReader } from './byte-reader.js';

const chunks = (...texts: string[]): Buffer[] => texts.map((t) => Buffer.from(t));
const truncated = (): Error => new Error('truncated member');

test('read gathers exact counts across chunks, and returns fewer only at the end of input', async () => {
  const reader = new ByteReader(chunks('ab', 'cde', '', 'f'));
  assert.equal((await reader.read(3)).toString(), 'abc');
  assert.equal(reader.position, 3);
  assert.equal((await reader.read(0)).length, 0);
  assert.equal((await reader.read(5)).toString(), 'def');
  assert.equal(reader.position, 6);
  assert.equal(await reader.atEnd(), true);
  assert.equal((await reader.read(1)).length, 0);
  assert.equal(await reader.readSome(4), null);
});

test('readSome hands out at most what one chunk holds; skip counts what was there', async () => {
  const reader = new ByteReader(Readable.from(chunks('abcd', 'ef')));
  assert.equal((await reader.readSome(10))?.toString(), 'abcd');
  assert.equal((await reader.readSome(1))?.toString(), 'e');
  assert.equal(await reader.skip(10), 1);
  assert.equal(reader.position, 6);
});

test('a stream of strings is refused with a message saying what is needed', async () => {
  const reader = new ByteReader(Readable.from(['text'], { objectMode: true }));
  await assert.rejects(reader.read(1), { name: 'TypeError', message: /needs a byte stream/ });
});

test('close stops the source early', async () => {
  let finished = false;
  async function* source(): AsyncGenerator<Buffer> {
    try {
      for (;;) yield await Promise.resolve(Buffer.from('x'));
    } finally {
      finished = true;
    }
  }
  const reader = new ByteReader(source());
  await reader.read(2);
  await reader.close();
  assert.equal(finished, true);
});

test('a bounded body yields its bytes once, and finish skips the rest for the next member', async () => {
  const reader = new ByteReader(chunks('hello', 'world!'));
  const body = new BoundedBody(reader, 7, truncated);
  assert.equal((await body.all(100, () => new Error('too big'))).toString(), 'hellowo');
  await assert.rejects(
    body.all(100, () => new Error('too big')),
    /only once/,
  );
  await body.finish();
  assert.equal((await reader.read(3)).toString(), 'rld');

  const unread = new BoundedBody(reader, 1, truncated);
  await unread.finish();
  assert.equal(reader.position, 11);
  await assert.rejects(async () => {
    for await (const chunk of unread) assert.fail(`read ${chunk.length} bytes after finish`);
  }, /must be read before moving on/);
});

test("a bounded body over the limit or past the end of input fails with the caller's errors", async () => {
  await assert.rejects(
    new BoundedBody(new ByteReader(chunks('abc')), 3, truncated).all(2, () => new Error('too big')),
    /too big/,
  );
  await assert.rejects(
    new BoundedBody(new ByteReader(chunks('abc')), 5, truncated).all(10, () => new Error('x')),
    /truncated member/,
  );
  await assert.rejects(new BoundedBody(new ByteReader(chunks('abc')), 5, truncated).finish(), /truncated member/);
});
