import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findDirs, walk } from './walk.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-headers-walk-'));
after(() => rm(root, { recursive: true, force: true }));

before(async () => {
  for (const dir of ['a/include/x', 'a/sub/include', 'a/generated/include', 'a/skip', 'outside'])
    await mkdir(join(root, dir), { recursive: true });
  for (const file of ['a/f.h', 'a/include/x/g.h', 'a/skip/h.h', 'a/Makefile', 'outside/secret'])
    await writeFile(join(root, file), 'x');
  await symlink('../outside', join(root, 'a/link'));
});

test('files and symlinks below the start, sorted, symlinks kept as links and not followed', async () => {
  const found = await walk(root, 'a');
  assert.deepEqual(
    found.map((e) => [e.path, e.kind, e.linkTarget]),
    [
      ['a/Makefile', 'file', undefined],
      ['a/f.h', 'file', undefined],
      ['a/include/x/g.h', 'file', undefined],
      ['a/link', 'symlink', '../outside'],
      ['a/skip/h.h', 'file', undefined],
    ],
  );
  const makefile = found[0];
  assert.equal(makefile?.source, join(root, 'a/Makefile'));
  assert.equal(makefile?.size, 1);
  assert.match(makefile?.state ?? '', /^f /);
});

test('pruned directories and files not kept are left out; a file start is itself; a missing one is nothing', async () => {
  const found = await walk(root, 'a', {
    pruneDir: (_rel, name) => name === 'skip',
    keep: (_rel, name) => name.endsWith('.h'),
  });
  assert.deepEqual(
    found.map((e) => e.path),
    ['a/f.h', 'a/include/x/g.h'],
  );
  assert.deepEqual(
    (await walk(root, 'a/Makefile', { pruneDir: () => true })).map((e) => e.path),
    ['a/Makefile'],
  );
  assert.deepEqual(await walk(root, 'a/missing'), []);
});

test('findDirs: every directory of the name, not looking inside it or into pruned ones', async () => {
  assert.deepEqual(await findDirs(root, 'a', 'include'), ['a/generated/include', 'a/include', 'a/sub/include']);
  assert.deepEqual(await findDirs(root, 'a', 'include', new Set(['generated'])), ['a/include', 'a/sub/include']);
  assert.deepEqual(await findDirs(root, 'missing', 'include'), []);
});
