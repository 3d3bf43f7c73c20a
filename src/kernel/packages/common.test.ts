import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseKconfig } from '../kconfig.js';
import type { KernelTree } from '../tree.js';
import { packageSet, upstreamVersion } from './common.js';

async function treeWith(version: [number, number, number], release: string, extraversion: string): Promise<KernelTree> {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-version-'));
  await writeFile(join(dir, 'Makefile'), `VERSION = ${version[0]}\nPATCHLEVEL = ${version[1]}\nSUBLEVEL = ${version[2]}\nEXTRAVERSION =${extraversion === '' ? '' : ` ${extraversion}`}\nNAME = Baby Opossum Posse\n`);
  await writeFile(join(dir, '.version'), '7\n');
  return { objtree: dir, srctree: dir, separateObjtree: false, release, version, kernelArch: 'arm64', srcArch: 'arm64', config: parseKconfig('') };
}

test('the default version follows mkdebian: the release up to 6.2, KERNELVERSION without local versions since 6.3', async () => {
  assert.equal(await upstreamVersion(await treeWith([6, 1, 192], '6.1.192-myboard', '')), '6.1.192-myboard');
  assert.equal(await upstreamVersion(await treeWith([6, 12, 95], '6.12.95-myboard', '')), '6.12.95');
  assert.equal(await upstreamVersion(await treeWith([6, 13, 0], '6.13.0-rc3-myboard', '-rc3')), '6.13.0-rc3');
  const set = await packageSet(await treeWith([6, 12, 95], '6.12.95-myboard', ''), { maintainer: 'A <a@example.org>', sourceDateEpoch: 1 });
  assert.equal(set.version, '6.12.95-7');
  assert.equal((await packageSet(await treeWith([6, 12, 95], '6.12.95', ''), { maintainer: 'A <a@example.org>', sourceDateEpoch: 1, revision: '3' })).version, '6.12.95-3');
});
