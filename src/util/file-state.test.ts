import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileState, FileStates } from './file-state.js';

const dir = await mkdtemp(join(tmpdir(), 'kpkg-file-state-'));
after(() => rm(dir, { recursive: true, force: true }));

test('fileState names the type, says absent for nothing, and changes with any write', async () => {
  const file = join(dir, 'a');
  assert.equal(await fileState(file), 'absent');
  await writeFile(file, 'one');
  const first = await fileState(file);
  assert.match(first, /^f \d+ \d+ 3 \d+ \d+$/);
  await writeFile(file, 'two'); // same size
  assert.notEqual(await fileState(file), first);
  await symlink('a', join(dir, 'link'));
  assert.match(await fileState(join(dir, 'link')), /^l /);
  assert.match(await fileState(dir), /^d /);
});

test('FileStates asks once per path: a later change is not seen within the run', async () => {
  const file = join(dir, 'cached');
  await writeFile(file, 'x');
  const states = new FileStates();
  const before = await states.state(file);
  await writeFile(file, 'longer');
  assert.equal(await states.state(file), before);
  assert.notEqual(await new FileStates().state(file), before);
});

test('prime records a state only for a path not asked yet', async () => {
  const states = new FileStates();
  states.prime('/nowhere/primed', 'f 1 2 3 4 5');
  assert.equal(await states.state('/nowhere/primed'), 'f 1 2 3 4 5');
  assert.equal(await states.state('/nowhere/asked'), 'absent');
  states.prime('/nowhere/asked', 'f 1 2 3 4 5');
  assert.equal(await states.state('/nowhere/asked'), 'absent');
});

test('walk lists the root and everything below it sorted, or just the root when it is no directory', async () => {
  const root = join(dir, 'tree');
  await mkdir(join(root, 'b', 'c'), { recursive: true });
  await writeFile(join(root, 'b', 'c', 'f'), '');
  await writeFile(join(root, 'a'), '');
  const states = new FileStates();
  assert.deepEqual(await states.walk(root), [
    root,
    join(root, 'a'),
    join(root, 'b'),
    join(root, 'b', 'c'),
    join(root, 'b', 'c', 'f'),
  ]);
  assert.deepEqual(await states.walk(join(root, 'a')), [join(root, 'a')]);
  assert.deepEqual(await states.walk(join(root, 'missing')), [join(root, 'missing')]);
});
