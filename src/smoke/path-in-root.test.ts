import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveInRoot } from './path-in-root.js';

test('symlinks resolve inside the root, like Debian headers seen from a chroot', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kpkg-pir-'));
  try {
    await mkdir(join(root, 'lib/modules/6.1.0-56-arm64'), { recursive: true });
    await mkdir(join(root, 'usr/src/linux-headers-6.1.0-56-arm64'), { recursive: true });
    await mkdir(join(root, 'usr/lib/linux-kbuild-6.1/scripts/basic'), { recursive: true });
    await writeFile(join(root, 'usr/lib/linux-kbuild-6.1/scripts/basic/fixdep'), '');
    await symlink('/usr/src/linux-headers-6.1.0-56-arm64', join(root, 'lib/modules/6.1.0-56-arm64/build'));
    await symlink('../../lib/linux-kbuild-6.1/scripts', join(root, 'usr/src/linux-headers-6.1.0-56-arm64/scripts'));
    await symlink('/', join(root, 'usr/src/up'));
    await symlink('loop', join(root, 'loop'));

    assert.equal(
      await resolveInRoot(root, '/lib/modules/6.1.0-56-arm64/build/scripts/basic/fixdep'),
      `${root}/usr/lib/linux-kbuild-6.1/scripts/basic/fixdep`,
    );
    assert.equal(await resolveInRoot(root, '/usr/src/up/etc/passwd'), `${root}/etc/passwd`);
    assert.equal(await resolveInRoot(`${root}/`, '/../../../etc//./passwd'), `${root}/etc/passwd`);
    assert.equal(await resolveInRoot(root, '/missing/x'), `${root}/missing/x`);
    await assert.rejects(resolveInRoot(root, '/loop/x'), /too many levels of symbolic links/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
