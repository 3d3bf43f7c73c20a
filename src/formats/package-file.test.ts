import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import { pathBeside, writePackageFile } from './package-file.js';

let work = '';

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'kpkg-package-file-'));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** An empty directory of its own for one test. */
async function freshDir(name: string): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir);
  return dir;
}

test('a complete write lands at outPath, its scratch files and the temporary name gone', async () => {
  const dir = await freshDir('complete');
  const out = join(dir, 'pkg.deb');
  const written = await writePackageFile(out, async ({ partial, scratch }) => {
    await writeFile(scratch('data'), 'compressed member');
    await writeFile(partial, 'whole package');
    return { sha256: 'digest', size: 13 };
  });
  assert.deepEqual(written, { path: out, sha256: 'digest', size: 13 });
  assert.equal(await readFile(out, 'utf8'), 'whole package');
  assert.deepEqual(await readdir(dir), ['pkg.deb']);
});

test('a write that fails halfway leaves the file that was at outPath as it was, and nothing beside it', async () => {
  const dir = await freshDir('failed');
  const out = join(dir, 'pkg.rpm');
  await writeFile(out, 'the package of an earlier run');
  const failing = writePackageFile(out, async ({ partial, scratch }) => {
    await writeFile(scratch('payload'), 'half a payload');
    await writeFile(partial, 'half a package');
    throw new KpkgError('the compressor died');
  });
  await assert.rejects(failing, { message: 'the compressor died' });
  assert.equal(await readFile(out, 'utf8'), 'the package of an earlier run');
  assert.deepEqual(await readdir(dir), ['pkg.rpm']);
});

test('a failed system call is reported naming outPath, and no file appears there', async () => {
  const dir = await freshDir('syscall');
  const out = join(dir, 'pkg.tar.gz');
  const failing = writePackageFile(out, async ({ partial }) => {
    await writeFile(partial, 'some bytes');
    await readFile(join(dir, 'no-such-member'));
    return { sha256: '', size: 0 };
  });
  await assert.rejects(failing, (e: unknown) => e instanceof KpkgError && e.message.includes(out));
  assert.deepEqual(await readdir(dir), []);
});

test('the names used while writing are hidden beside outPath and belong to this process', () => {
  assert.equal(pathBeside('/out/pkg.deb', 'partial'), `/out/.pkg.deb.partial-${process.pid}`);
});
