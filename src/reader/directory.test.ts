import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readDirectory } from './directory.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-reader-directory-'));
after(() => rm(root, { recursive: true, force: true }));

test('the directory is /: every entry below it a member, sorted by path, symlinks recorded and not followed', async () => {
  const tree = join(root, 'tree');
  await mkdir(join(tree, 'usr/src/h/scripts'), { recursive: true });
  await writeFile(join(tree, 'usr/src/h/Makefile'), 'all:\n');
  await writeFile(join(tree, 'usr/src/h/scripts/tool'), '#!/bin/sh\n');
  await chmod(join(tree, 'usr/src/h/scripts/tool'), 0o755);
  await mkdir(join(root, 'outside'));
  await writeFile(join(root, 'outside', 'secret'), 'not read');
  await symlink('../../../../outside', join(tree, 'usr/src/h/out'));
  const pkg = await readDirectory(`${tree}/`);
  assert.equal(pkg.format, 'directory');
  assert.equal(pkg.name, 'tree');
  assert.deepEqual(
    pkg.members.map((m) => [m.path, m.type, m.mode.toString(8), m.size, m.link]),
    [
      ['/usr', 'dir', '755', 0, undefined],
      ['/usr/src', 'dir', '755', 0, undefined],
      ['/usr/src/h', 'dir', '755', 0, undefined],
      ['/usr/src/h/Makefile', 'file', '644', 5, undefined],
      ['/usr/src/h/out', 'symlink', '777', 0, '../../../../outside'],
      ['/usr/src/h/scripts', 'dir', '755', 0, undefined],
      ['/usr/src/h/scripts/tool', 'file', '755', 10, undefined],
    ],
  );
  assert.equal(pkg.members.find((m) => m.path === '/usr/src/h/Makefile')?.isText, true);
});

test('a missing directory is an error', async () => {
  await assert.rejects(readDirectory(join(root, 'missing')), { code: 'ENOENT' });
});
