import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fakeKernelTree } from '../testing/fake-tree.js';
import { assertUnchangedSince, fileClockNow } from './tree-changes.js';

const objtree = await mkdtemp(join(tmpdir(), 'kpkg-tree-changes-'));
after(() => rm(objtree, { recursive: true, force: true }));

const tree = fakeKernelTree(objtree);

test('files untouched since the start pass', async () => {
  await writeFile(join(objtree, 'vmlinux'), 'old');
  const since = fileClockNow() + 1_000_000_000n; // the file's ctime is at most now
  await assertUnchangedSince([join(objtree, 'vmlinux')], since, tree);
});

test('a file written, or only touched, after the start fails the run naming it inside the tree', async () => {
  const since = fileClockNow() - 1_000_000_000n;
  const file = join(objtree, 'System.map');
  await writeFile(file, 'x');
  // Setting the modification time back does not hide the change: ctime moves anyway.
  await utimes(file, 0, 0);
  await assert.rejects(assertUnchangedSince([file], since, tree), (e: Error & { where?: string; hint?: string }) => {
    assert.equal(e.message, 'the tree changed while kpkg was packaging it: System.map; nothing was written to --out');
    assert.equal(e.where, objtree);
    assert.match(e.hint ?? '', /let the build finish/);
    return true;
  });
});

test('a missing file counts as changed; more than three are summed up', async () => {
  const since = fileClockNow() + 1_000_000_000n;
  const missing = ['d', 'a', 'c', 'b', 'e'].map((name) => join(objtree, 'gone', name));
  await assert.rejects(
    assertUnchangedSince([...missing, '/nonexistent/outside'], since, tree),
    /: \/nonexistent\/outside, gone\/a, gone\/b and 3 more; nothing was written/,
  );
});
