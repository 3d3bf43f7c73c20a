import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { KernelTree } from '../kernel/tree.js';
import { fakeKernelTree } from '../testing/fake-tree.js';
import { checkPackageVersion, kernelVersion, packageSet } from './package-set.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-package-set-'));
after(() => rm(root, { recursive: true, force: true }));

async function tree(name: string, files: Record<string, string>): Promise<KernelTree> {
  const dir = join(root, name);
  await mkdir(dir);
  for (const [path, text] of Object.entries(files)) await writeFile(join(dir, path), text);
  return fakeKernelTree(dir, { release: '6.1.0-rc3-board' });
}

const GIVEN = { maintainer: 'A <a@example.org>', sourceDateEpoch: 1234 };

test('KERNELVERSION carries EXTRAVERSION but no local version', async () => {
  assert.equal(
    await kernelVersion(await tree('rc', { Makefile: 'VERSION = 6\nEXTRAVERSION = -rc3\nNAME = x\n' })),
    '6.1.0-rc3',
  );
  assert.equal(await kernelVersion(await tree('release', { Makefile: 'EXTRAVERSION =\n' })), '6.1.0');
  assert.equal(await kernelVersion(await tree('none', {})), '6.1.0');
});

test("the revision is the tree's build number unless given; what the options give is used as it is", async () => {
  const built = await tree('built', { '.version': '7\n', Makefile: 'EXTRAVERSION = -rc3\n' });
  assert.deepEqual(await packageSet(built, GIVEN), {
    release: '6.1.0-rc3-board',
    series: [6, 1, 0],
    kernelVersion: '6.1.0-rc3',
    revision: '7',
    version: undefined,
    maintainer: 'A <a@example.org>',
    mtime: 1234,
  });
  const given = await packageSet(built, { ...GIVEN, revision: '2~bpo', version: '1:6.1-3' });
  assert.equal(given.revision, '2~bpo');
  assert.equal(given.version, '1:6.1-3');
  assert.equal((await packageSet(await tree('odd', { '.version': 'x\n' }), GIVEN)).revision, '1');
});

test('a revision or version no layout can carry is refused', async () => {
  const t = await tree('bad', {});
  await assert.rejects(packageSet(t, { ...GIVEN, revision: '1-2' }), {
    message: '"1-2" is not a valid revision',
    exitCode: 2,
  });
  await assert.rejects(packageSet(t, { ...GIVEN, version: 'v6.1' }), {
    message: '"v6.1" is not a valid package version',
  });
  assert.equal(checkPackageVersion('6.1.0+kpkg~1'), '6.1.0+kpkg~1');
  assert.throws(() => checkPackageVersion('6.1 0'), /not a valid package version/);
});
