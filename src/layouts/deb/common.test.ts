import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseKconfig } from '../../kernel/kconfig.js';
import type { KernelTree } from '../../kernel/tree.js';
import { packageSet } from '../package-set.js';
import { debianVersion } from './common.js';

async function upstreamVersion(tree: KernelTree): Promise<string> {
  return debianVersion(await packageSet(tree, { maintainer: 'A <a@example.org>', sourceDateEpoch: 1 })).replace(
    /-7$/,
    '',
  );
}

async function treeWith(version: [number, number, number], release: string, extraversion: string): Promise<KernelTree> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-version-'));
  await writeFile(
    join(dir, 'Makefile'),
    `VERSION = ${version[0]}\nPATCHLEVEL = ${version[1]}\nSUBLEVEL = ${version[2]}\nEXTRAVERSION =${extraversion === '' ? '' : ` ${extraversion}`}\nNAME = Baby Opossum Posse\n`,
  );
  await writeFile(join(dir, '.version'), '7\n');
  return {
    objtree: dir,
    srctree: dir,
    separateObjtree: false,
    release,
    version,
    kernelArch: 'arm64',
    srcArch: 'arm64',
    config: parseKconfig(''),
  };
}

test('the default version follows mkdebian: the release up to 6.2, KERNELVERSION without local versions since 6.3', async () => {
  assert.equal(await upstreamVersion(await treeWith([6, 1, 192], '6.1.192-myboard', '')), '6.1.192-myboard');
  assert.equal(await upstreamVersion(await treeWith([6, 12, 95], '6.12.95-myboard', '')), '6.12.95');
  assert.equal(await upstreamVersion(await treeWith([6, 13, 0], '6.13.0-rc3-myboard', '-rc3')), '6.13.0-rc3');
  const set = await packageSet(await treeWith([6, 12, 95], '6.12.95-myboard', ''), {
    maintainer: 'A <a@example.org>',
    sourceDateEpoch: 1,
  });
  assert.equal(debianVersion(set), '6.12.95-7');
  assert.equal(
    debianVersion(
      await packageSet(await treeWith([6, 12, 95], '6.12.95', ''), {
        maintainer: 'A <a@example.org>',
        sourceDateEpoch: 1,
        revision: '3',
      }),
    ),
    '6.12.95-3',
  );
});
