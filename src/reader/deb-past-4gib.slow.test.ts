/**
 * A .deb whose data member is over 4 GiB, as dpkg-deb reads it: one file of 4.4 GB in data.tar.
 * The file is sparse (a few KB on disk), its body holes that read as zeros; reading it streams
 * the 4.4 GB once (~7 s), in flat memory.
 */
import assert from 'node:assert/strict';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { before, it } from 'node:test';
import { encodeArHeader } from '../archive/ar.js';
import { encodeTarHeader, TAR_BLOCK, TAR_RECORD } from '../archive/tar.js';
import { bytesOf, file } from '../testing/malformed-inputs.js';
import { tempDir } from '../testing/verify-packages.js';
import { readInput } from './open.js';

const FILE_SIZE = 4_400_000_000;
const CONTROL = 'Package: big\nVersion: 1\nArchitecture: arm64\nMaintainer: x <x@x.invalid>\nDescription: x\n';

/** The .deb, written as its headers and then extended with a hole to its full length. */
async function writeSparseDeb(path: string): Promise<void> {
  const control = await bytesOf([file('./control', CONTROL)]);
  const zeros = encodeTarHeader({
    type: 'file',
    name: './usr/share/big/zeros',
    mode: 0o644,
    mtime: 0,
    size: FILE_SIZE,
    content: { from: 'bytes', data: new Uint8Array(0) },
  });
  // The file's body, its padding and the end-of-archive blocks are all zeros: the hole.
  const dataSize = Math.ceil((TAR_BLOCK + FILE_SIZE + 2 * TAR_BLOCK) / TAR_RECORD) * TAR_RECORD;
  const head = Buffer.concat([
    Buffer.from('!<arch>\n'),
    encodeArHeader({ name: 'debian-binary', size: 4, mtime: 0 }),
    Buffer.from('2.0\n'),
    encodeArHeader({ name: 'control.tar', size: control.length, mtime: 0 }),
    control,
    encodeArHeader({ name: 'data.tar', size: dataSize, mtime: 0 }),
    zeros,
  ]);
  const handle = await open(path, 'w');
  try {
    await handle.write(head);
    await handle.truncate(head.length - zeros.length + dataSize);
  } finally {
    await handle.close();
  }
}

let work = '';
before(async () => {
  work = await tempDir('kpkg-deb-4gib-');
});

it('reads a .deb whose data member is over 4 GiB, as dpkg-deb does', async () => {
  const path = join(work, 'big.deb');
  await writeSparseDeb(path);
  const pkg = await readInput(path);
  assert.deepEqual(
    pkg.members.filter((m) => m.type === 'file').map((m) => [m.path, m.size]),
    [['/usr/share/big/zeros', FILE_SIZE]],
  );
});
