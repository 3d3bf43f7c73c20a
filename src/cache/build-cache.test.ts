import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BuildCache, withBuildCache } from './build-cache.js';
import { inputsKey } from './fingerprint.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kpkg-cache-test-'));
}

test('an entry is made once, found by the next run, and its files stay where the entry says', async () => {
  const dir = await scratch();
  try {
    let fills = 0;
    const fill = async (d: string): Promise<{ n: number }> => {
      fills++;
      await writeFile(join(d, 'out'), 'made');
      return { n: 42 };
    };
    const first = await withBuildCache({ cacheDir: dir, enabled: true }, (c) => c.entry('kind', 'k1', fill));
    assert.equal(first.hit, false);
    const second = await withBuildCache({ cacheDir: dir, enabled: true }, (c) => c.entry('kind', 'k1', fill));
    assert.equal(second.hit, true);
    assert.deepEqual(second.meta, { n: 42 });
    assert.equal(await readFile(join(second.dir, 'out'), 'utf8'), 'made');
    assert.equal(fills, 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('two requests for one key in a run fill once; a failed fill leaves nothing behind', async () => {
  const dir = await scratch();
  try {
    const cache = await BuildCache.open({ cacheDir: dir, enabled: true });
    let fills = 0;
    const [a, b] = await Promise.all(
      [0, 1].map(() => cache.entry('kind', 'same', () => Promise.resolve({ n: ++fills }))),
    );
    assert.equal(fills, 1);
    assert.equal(a?.dir, b?.dir);
    await assert.rejects(
      cache.entry('kind', 'broken', () => Promise.reject(new Error('compiler died'))),
      /compiler died/,
    );
    await cache.close();
    assert.deepEqual(await readdir(join(dir, 'build', 'v1', 'tmp')), []);
    assert.deepEqual((await readdir(join(dir, 'build', 'v1', 'kind'))).sort(), ['same']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("disabled: nothing is looked up or kept, and the run's entries are removed at close", async () => {
  const dir = await scratch();
  try {
    await withBuildCache({ cacheDir: dir, enabled: true }, (c) =>
      c.entry('kind', 'k', async (d) => writeFile(join(d, 'x'), 'cached')),
    );
    let made: string | undefined;
    await withBuildCache({ cacheDir: dir, enabled: false }, async (c) => {
      const e = await c.entry('kind', 'k', async (d) => writeFile(join(d, 'x'), 'fresh'));
      assert.equal(e.hit, false);
      assert.equal(await readFile(join(e.dir, 'x'), 'utf8'), 'fresh');
      made = e.dir;
    });
    await assert.rejects(readFile(join(made ?? '', 'x')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('over its size cap the cache drops the least recently used entries when no other run uses it', async () => {
  const dir = await scratch();
  try {
    const put = (key: string): Promise<unknown> =>
      withBuildCache({ cacheDir: dir, enabled: true, maxBytes: 1 << 30 }, (c) =>
        c.entry('kind', key, (d) => writeFile(join(d, 'x'), Buffer.alloc(1000))),
      );
    for (const key of ['old', 'mid', 'new']) await put(key);
    const old = new Date(Date.now() - 3_600_000);
    await utimes(join(dir, 'build', 'v1', 'kind', 'old'), old, old);
    // A run in progress holds the cache: no trimming under it.
    const other = await BuildCache.open({ cacheDir: dir, enabled: true });
    await withBuildCache({ cacheDir: dir, enabled: true, maxBytes: 2500 }, () => Promise.resolve());
    assert.equal((await readdir(join(dir, 'build', 'v1', 'kind'))).length, 3);
    await other.close();
    await withBuildCache({ cacheDir: dir, enabled: true, maxBytes: 2500 }, () => Promise.resolve());
    assert.deepEqual((await readdir(join(dir, 'build', 'v1', 'kind'))).sort(), ['mid', 'new']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('inputsKey changes when a file changes, is touched, appears, or a word changes — and only then', async () => {
  const dir = await scratch();
  try {
    await writeFile(join(dir, 'a.c'), 'int a;');
    const inputs = { words: ['step'], files: [join(dir, 'a.c'), join(dir, 'absent.h')], trees: [dir] };
    const k1 = await inputsKey(inputs);
    assert.equal(await inputsKey(inputs), k1);
    assert.notEqual(await inputsKey({ ...inputs, words: ['step', '-O2'] }), k1);
    await writeFile(join(dir, 'a.c'), 'int a;'); // same bytes, new write: the change time moves
    const k2 = await inputsKey(inputs);
    assert.notEqual(k2, k1);
    await writeFile(join(dir, 'absent.h'), '');
    assert.notEqual(await inputsKey(inputs), k2);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
