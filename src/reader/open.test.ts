import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildPacman, buildTarball, tempDir } from '../testing/verify-packages.js';
import { CONTAINER_READERS, inputKindOf, readHead, readInput } from './open.js';

/** A tiny install root: one header below /usr/src. */
async function tinyRoot(): Promise<string> {
  const root = await tempDir('kpkg-open-root-');
  await mkdir(join(root, 'usr/src/x'), { recursive: true });
  await writeFile(join(root, 'usr/src/x/a.h'), '#define A 1\n');
  return root;
}

describe('readInput dispatches by container', () => {
  it('each container reader is listed under its own container', () => {
    for (const [key, reader] of Object.entries(CONTAINER_READERS)) assert.equal(reader.container, key);
  });

  it('a directory is read as an unpacked package', async () => {
    const pkg = await readInput(await tinyRoot());
    assert.equal(pkg.format, 'directory');
    assert.ok(pkg.members.some((m) => m.path === '/usr/src/x/a.h'));
  });

  it('plain and compressed tarballs go to the tar reader and are tarballs', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      const file = await buildTarball(await tinyRoot(), compression);
      assert.deepEqual(inputKindOf(await readHead(file)), { reader: 'tar', compression }, compression);
      const pkg = await readInput(file);
      assert.equal(pkg.format, 'tar', compression);
      assert.ok(
        pkg.members.some((m) => m.path === '/usr/src/x/a.h'),
        compression,
      );
    }
  });

  it('a compressed tar with a .PKGINFO goes to the tar reader and is a pacman package', async () => {
    const file = await buildPacman(await tinyRoot(), {
      name: 'linux-headers-test',
      arch: 'aarch64',
      compression: 'xz',
    });
    assert.deepEqual(inputKindOf(await readHead(file)), { reader: 'tar', compression: 'xz' });
    const pkg = await readInput(file);
    assert.equal(pkg.format, 'pacman');
    assert.equal(pkg.name, 'linux-headers-test');
  });
});
