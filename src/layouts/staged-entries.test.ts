import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { listStagedTree } from '../kernel/install/staged-tree.js';
import { stagedDataFile, stagedEntries } from './staged-entries.js';

test('lists directories (empty ones too), files and symlinks without following links; modes as a package wants them', async () => {
  const root = await mkdtemp(join(tmpdir(), 'kpkg-staged-'));
  await mkdir(join(root, 'lib/modules/6.1.0/kernel/lib'), { recursive: true });
  await mkdir(join(root, 'empty'));
  await writeFile(join(root, 'lib/modules/6.1.0/kernel/lib/crc.ko'), 'ko');
  await writeFile(join(root, 'lib/modules/6.1.0/tool'), '#!/bin/sh\n');
  await chmod(join(root, 'lib/modules/6.1.0/tool'), 0o775);
  await chmod(join(root, 'lib/modules/6.1.0/kernel/lib/crc.ko'), 0o600);
  await symlink('/nowhere/at/all', join(root, 'lib/modules/6.1.0/build'));
  const items = await listStagedTree(root);
  assert.deepEqual(
    items.map((i) => `${i.kind} ${i.path}`),
    [
      'dir empty',
      'dir lib',
      'dir lib/modules',
      'dir lib/modules/6.1.0',
      'symlink lib/modules/6.1.0/build',
      'dir lib/modules/6.1.0/kernel',
      'dir lib/modules/6.1.0/kernel/lib',
      'file lib/modules/6.1.0/kernel/lib/crc.ko',
      'file lib/modules/6.1.0/tool',
    ],
  );
  const entries = stagedEntries(items, '/usr/lib/x');
  assert.deepEqual(
    entries.find((e) => e.path === '/usr/lib/x/lib/modules/6.1.0/build'),
    { kind: 'symlink', path: '/usr/lib/x/lib/modules/6.1.0/build', target: '/nowhere/at/all' },
  );
  const ko = entries.find((e) => e.path.endsWith('crc.ko'));
  assert.ok(ko?.kind === 'file');
  assert.equal(ko.mode, 0o644);
  assert.equal(ko.size, 2);
  const tool = entries.find((e) => e.path.endsWith('/tool'));
  assert.ok(tool?.kind === 'file' && tool.mode === 0o755);
  assert.deepEqual(
    entries.find((e) => e.path === '/usr/lib/x/empty'),
    { kind: 'dir', path: '/usr/lib/x/empty', mode: 0o755 },
  );
});

test('a staged data file is 0644 at its install path, its bytes from the staged copy', () => {
  assert.deepEqual(stagedDataFile('/boot/System.map-6.12.9', { source: '/tmp/scratch/System.map', size: 42 }), {
    kind: 'file',
    path: '/boot/System.map-6.12.9',
    mode: 0o644,
    size: 42,
    source: { from: 'disk', path: '/tmp/scratch/System.map' },
  });
});
