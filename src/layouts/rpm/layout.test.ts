import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian } from '../../arch/arch-table.js';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import { stagedItem, testImageContents, testKernelParts, testStagedHeaders } from '../../testing/kernel-parts.js';
import { testPackageSet } from '../../testing/package-set.js';
import { rpmLayout, rpmVersion, type RpmPackageKind } from './layout.js';

const R = '6.12.0-board';
const M = `/lib/modules/${R}`;
const arm64 = archByDebian('arm64');
const parts = testKernelParts(testImageContents(R, ['modules.dep', 'modules.order']), {
  headers: testStagedHeaders(R, [
    { path: 'Makefile', kind: 'file', source: '/src/Makefile', mode: 0o644, size: 3, origin: 'srctree' },
  ]),
  uapi: [stagedItem('include', 'dir'), stagedItem('include/linux/a.h')],
  debug: {
    vmlinux: { source: '/b/vmlinux', size: 9 },
    modules: [{ module: 'kernel/a.ko', file: '/dbg/a.ko', size: 5, buildId: 'abcdef01' }],
  },
});

function describeKind(kind: RpmPackageKind): PackageDescription {
  assert.ok(arm64 !== undefined);
  return rpmLayout.describe(kind, parts, {
    arch: arm64,
    set: testPackageSet(R, '3'),
    runtime: [{ name: 'libelf.so.1()(64bit)' }],
  });
}

const shown = (entries: readonly PackageEntry[]): string[] =>
  entries.map((e) =>
    e.kind === 'symlink' ? `${e.path} -> ${e.target}` : e.kind === 'ghost' ? `ghost ${e.path}` : e.path,
  );

test("kernel.spec's version: KERNELRELEASE with '_' for '-', the build number as release", () => {
  assert.equal(rpmVersion(testPackageSet(R, '3')), '6.12.0_board-3');
  assert.equal(describeKind('kernel').version, '6.12.0_board-3');
});

test('the kernel: modules without depmod indexes, which are ghosts like the /boot copies %post makes', () => {
  const pkg = describeKind('kernel');
  assert.equal(pkg.name, 'kernel');
  assert.deepEqual(pkg.provides, [{ name: `kernel-${R}` }]);
  const entries = shown(pkg.entries);
  assert.ok(entries.includes(`${M}/modules.order`));
  assert.ok(entries.includes(`ghost ${M}/modules.dep`));
  assert.ok(!entries.includes(`${M}/modules.dep`));
  for (const path of [`${M}/vmlinuz`, `${M}/System.map`, `${M}/config`, `${M}/dtb`, `${M}/dtb/arm/juno.dtb`])
    assert.ok(entries.includes(path), path);
  assert.deepEqual(
    entries.filter((e) => e.startsWith('ghost /boot')),
    [
      `ghost /boot/System.map-${R}`,
      `ghost /boot/config-${R}`,
      `ghost /boot/vmlinuz-${R}`,
      `ghost /boot/dtb-${R}/arm/juno.dtb`,
    ],
  );
  assert.deepEqual(Object.keys(pkg.scripts ?? {}).sort(), ['postinst', 'prerm']);
  assert.match(pkg.scripts?.postinst ?? '', new RegExp(`/usr/sbin/depmod ${R}`));
});

test('kernel-devel at /usr/src/kernels with the build link and the runtime requires; kernel-headers obsoletes older ones', () => {
  const devel = describeKind('devel');
  assert.deepEqual(shown(devel.entries), [
    `/usr/src/kernels/${R}`,
    `/usr/src/kernels/${R}/Makefile`,
    `${M}/build -> /usr/src/kernels/${R}`,
  ]);
  assert.deepEqual(devel.depends, [{ name: 'libelf.so.1()(64bit)' }]);
  assert.match(devel.summary, /to match the 6\.12\.0_board kernel$/);
  const uapi = describeKind('headers');
  assert.deepEqual(shown(uapi.entries), ['/usr/include', '/usr/include/linux/a.h']);
  assert.deepEqual(uapi.rpm?.obsoletes, [{ name: 'kernel-headers', version: { op: '<<', version: '6.12.0_board' } }]);
  assert.deepEqual(uapi.provides, [{ name: 'kernel-headers', version: { op: '=', version: '6.12.0_board' } }]);
});

test('kernel-debuginfo below /usr/lib/debug, with the build-id links', () => {
  const entries = shown(describeKind('debuginfo').entries);
  assert.deepEqual(entries.slice(0, 2), [
    `/usr/lib/debug/lib/modules/${R}/vmlinux`,
    `/usr/lib/debug/lib/modules/${R}/kernel/a.ko`,
  ]);
  assert.match(entries[2] ?? '', /^\/usr\/lib\/debug\/\.build-id\/ab\/cdef01\.debug -> /);
});
