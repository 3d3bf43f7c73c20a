import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OutputSet } from './output-set.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-output-set-'));
after(() => rm(root, { recursive: true, force: true }));

test('files appear under --out only on commit, all together, and the staging directory goes', async () => {
  const out = join(root, 'a', 'new', 'out');
  const set = await OutputSet.open(out);
  await writeFile(set.stagingPath('one.deb'), 'one');
  await writeFile(set.stagingPath('two.deb'), 'two');
  assert.deepEqual(
    (await readdir(out)).filter((n) => !n.startsWith('.kpkg-staging-')),
    [],
    'nothing final before commit',
  );
  const written = await set.commit();
  assert.deepEqual(written, [join(out, 'one.deb'), join(out, 'two.deb')]);
  assert.deepEqual((await readdir(out)).sort(), ['one.deb', 'two.deb']);
  assert.equal(await readFile(join(out, 'two.deb'), 'utf8'), 'two');
});

test('discard leaves what --out held before untouched', async () => {
  const out = join(root, 'kept');
  await mkdir(out);
  await writeFile(join(out, 'one.deb'), 'before');
  const set = await OutputSet.open(out);
  await writeFile(set.stagingPath('one.deb'), 'after');
  await set.discard();
  assert.deepEqual(await readdir(out), ['one.deb']);
  assert.equal(await readFile(join(out, 'one.deb'), 'utf8'), 'before');
});

test('a directory in the way of one file stops the commit before any rename', async () => {
  const out = join(root, 'blocked');
  await mkdir(join(out, 'b.deb'), { recursive: true });
  const set = await OutputSet.open(out);
  await writeFile(set.stagingPath('a.deb'), 'a');
  await writeFile(set.stagingPath('b.deb'), 'b');
  await assert.rejects(set.commit(), {
    name: 'KpkgError',
    message: `cannot write ${join(out, 'b.deb')}: a directory of that name is in the way`,
  });
  await set.discard();
  assert.deepEqual(await readdir(out), ['b.deb']);
});

test('an --out below a regular file is refused with the reason', async () => {
  await writeFile(join(root, 'file'), '');
  await assert.rejects(OutputSet.open(join(root, 'file', 'out')), {
    name: 'KpkgError',
    message: new RegExp(
      `^cannot write packages into ${root}/file/out: ${root}/file is a regular file, not a directory`,
    ),
  });
});

test('a failed run removes the --out directories it created, and only those', async () => {
  const parent = join(root, 'made-by-the-run');
  const out = join(parent, 'deeper', 'out');
  const set = await OutputSet.open(out);
  await writeFile(set.stagingPath('one.deb'), 'half');
  await set.discard();
  await assert.rejects(readdir(parent), { code: 'ENOENT' }, 'every directory the run made is gone');

  const existing = join(root, 'was-there');
  await mkdir(existing);
  const inside = await OutputSet.open(join(existing, 'out'));
  await inside.discard();
  assert.deepEqual(await readdir(existing), [], 'the directory that was there stays');

  const shared = join(root, 'shared', 'out');
  const first = await OutputSet.open(shared);
  await writeFile(join(shared, 'other-run.deb'), 'another run put this here meanwhile');
  await first.discard();
  assert.deepEqual(await readdir(shared), ['other-run.deb'], 'a directory that holds anything stays');
});

test('a committed set keeps the --out it created', async () => {
  const out = join(root, 'created-and-kept', 'out');
  const set = await OutputSet.open(out);
  await writeFile(set.stagingPath('one.deb'), 'one');
  await set.commit();
  await set.discard();
  assert.deepEqual(await readdir(out), ['one.deb']);
});
