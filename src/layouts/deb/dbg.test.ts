import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findArch } from '../../arch/arch-table.js';
import { testPackageSet } from '../../testing/package-set.js';
import { buildIdLink } from '../debug-files.js';
import { dbgPackage } from './dbg.js';

const set = testPackageSet('6.12.95');

test('build-id links are relative, like `ln --relative`', () => {
  assert.deepEqual(
    buildIdLink(
      '8fc107fe226df02f4973df037293fa66e91f0e3e',
      '/usr/lib/debug/lib/modules/6.12.95/kernel/lib/crc-ccitt.ko',
    ),
    {
      kind: 'symlink',
      path: '/usr/lib/debug/.build-id/8f/c107fe226df02f4973df037293fa66e91f0e3e.debug',
      target: '../../lib/modules/6.12.95/kernel/lib/crc-ccitt.ko',
    },
  );
});

test('linux-image-<release>-dbg: vmlinux for perf with links for systemtap and kdump-tools, module debug info by path and build ID', () => {
  const arm64 = findArch('arm64');
  assert.ok(arm64 !== undefined);
  const pkg = dbgPackage(
    {
      vmlinux: { source: '/b/vmlinux', size: 4000 },
      modules: [
        {
          module: 'kernel/lib/crc-ccitt.ko',
          file: '/s/kernel/lib/crc-ccitt.ko',
          size: 300,
          buildId: 'aa8c25fcccb07bde845fcfd922ffca9152b59429',
        },
        { module: 'kernel/lib/nobuildid.ko', file: '/s/kernel/lib/nobuildid.ko', size: 300, buildId: undefined },
      ],
    },
    '6.12.95',
    arm64,
    set,
  );
  assert.equal(pkg.name, 'linux-image-6.12.95-dbg');
  assert.equal(pkg.section, 'debug');
  const byPath = new Map(pkg.entries.map((e) => [e.path, e]));
  assert.deepEqual(byPath.get('/usr/lib/debug/boot/vmlinux-6.12.95'), {
    kind: 'symlink',
    path: '/usr/lib/debug/boot/vmlinux-6.12.95',
    target: '../lib/modules/6.12.95/vmlinux',
  });
  assert.deepEqual(byPath.get('/usr/lib/debug/vmlinux-6.12.95'), {
    kind: 'symlink',
    path: '/usr/lib/debug/vmlinux-6.12.95',
    target: 'lib/modules/6.12.95/vmlinux',
  });
  const vmlinux = byPath.get('/usr/lib/debug/lib/modules/6.12.95/vmlinux');
  assert.ok(vmlinux?.kind === 'file' && vmlinux.mode === 0o644);
  assert.ok(byPath.has('/usr/lib/debug/lib/modules/6.12.95/kernel/lib/nobuildid.ko'));
  assert.equal(pkg.entries.filter((e) => e.path.startsWith('/usr/lib/debug/.build-id/')).length, 1);
});
