import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findArch } from '../../arch/arch-table.js';
import type { StagedItem } from '../../kernel/install/staged-tree.js';
import { testPackageSet } from '../../testing/package-set.js';
import { libcDevInstallPath, libcDevPackage } from './libc-dev.js';

const set = testPackageSet('6.1.192');

test('asm moves to the multiarch include directory; the rest goes below /usr', () => {
  const arm64 = findArch('arm64');
  const armhf = findArch('armhf');
  assert.ok(arm64 !== undefined && armhf !== undefined);
  assert.equal(libcDevInstallPath('include/asm/unistd.h', arm64), '/usr/include/aarch64-linux-gnu/asm/unistd.h');
  assert.equal(libcDevInstallPath('include/asm', armhf), '/usr/include/arm-linux-gnueabihf/asm');
  assert.equal(libcDevInstallPath('include/asm-generic/unistd.h', arm64), '/usr/include/asm-generic/unistd.h');
  assert.equal(libcDevInstallPath('include/linux/version.h', arm64), '/usr/include/linux/version.h');
  assert.equal(libcDevInstallPath('include', arm64), '/usr/include');
});

test('linux-libc-dev is Multi-Arch: same, provides linux-kernel-headers, in section devel', () => {
  const arm64 = findArch('arm64');
  assert.ok(arm64 !== undefined);
  const items: StagedItem[] = [
    { path: 'include', kind: 'dir', source: '/s/include', mode: 0o755, size: 0 },
    { path: 'include/asm', kind: 'dir', source: '/s/include/asm', mode: 0o755, size: 0 },
    { path: 'include/asm/unistd.h', kind: 'file', source: '/s/include/asm/unistd.h', mode: 0o644, size: 12 },
  ];
  const pkg = libcDevPackage(items, arm64, set);
  assert.equal(pkg.name, 'linux-libc-dev');
  assert.equal(pkg.multiArch, 'same');
  assert.equal(pkg.section, 'devel');
  assert.deepEqual(pkg.provides, [{ name: 'linux-kernel-headers' }]);
  assert.deepEqual(
    pkg.entries.map((e) => e.path),
    [
      '/usr/include',
      '/usr/include/aarch64-linux-gnu/asm',
      '/usr/include/aarch64-linux-gnu/asm/unistd.h',
      '/usr/share/doc/linux-libc-dev/copyright',
      '/usr/share/doc/linux-libc-dev/changelog.Debian.gz',
    ],
  );
});
