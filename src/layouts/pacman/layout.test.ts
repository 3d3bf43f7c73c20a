import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian } from '../../arch/arch-table.js';
import type { PackageDescription, PackageEntry } from '../../package/model.js';
import { stagedItem, testImageContents, testKernelParts, testStagedHeaders } from '../../testing/kernel-parts.js';
import { testPackageSet } from '../../testing/package-set.js';
import { pacmanLayout, pacmanVersion, type PacmanPackageKind } from './layout.js';

const R = '6.12.0-rc3';
const M = `/usr/lib/modules/${R}`;
const arm64 = archByDebian('arm64');
const parts = testKernelParts(testImageContents(R, ['kernel/a.ko', 'modules.dep', 'modules.order']), {
  headers: testStagedHeaders(R, [
    { path: '.config', kind: 'file', source: '/obj/.config', mode: 0o644, size: 50, origin: 'objtree' },
  ]),
  uapi: [stagedItem('include', 'dir'), stagedItem('include/linux', 'dir'), stagedItem('include/linux/a.h')],
});

function describeKind(kind: PacmanPackageKind, pkgbase?: string): PackageDescription {
  assert.ok(arm64 !== undefined);
  return pacmanLayout(pkgbase).describe(kind, parts, { arch: arm64, set: testPackageSet(R, '2'), runtime: [] });
}

const shown = (entries: readonly PackageEntry[]): string[] =>
  entries.map((e) => (e.kind === 'symlink' ? `${e.path} -> ${e.target}` : e.path));

test("the PKGBUILD's pkgver: -rcN folded, other hyphens as '_'; a given version as it is", () => {
  assert.equal(pacmanVersion(testPackageSet(R, '2')), '6.12.0rc3-2');
  assert.equal(pacmanVersion(testPackageSet('6.1.0-board-x', '1')), '6.1.0_board_x-1');
  assert.equal(pacmanVersion({ ...testPackageSet(R), version: '7.0-1' }), '7.0-1');
});

test('the kernel under /usr/lib/modules without depmod outputs, with the pkgbase file and the device trees', () => {
  const pkg = describeKind('kernel', 'linux-board');
  assert.equal(pkg.name, 'linux-board');
  assert.equal(pkg.version, '6.12.0rc3-2');
  assert.deepEqual(shown(pkg.entries), [
    M,
    `${M}/kernel/a.ko`,
    `${M}/modules.order`,
    `${M}/vmlinuz`,
    `${M}/pkgbase`,
    `${M}/dtb/arm`,
    `${M}/dtb/arm/juno.dtb`,
  ]);
  const pkgbaseFile = pkg.entries.find((e) => e.path === `${M}/pkgbase`);
  assert.ok(pkgbaseFile?.kind === 'file' && pkgbaseFile.source.from === 'bytes');
  assert.equal(Buffer.from(pkgbaseFile.source.data).toString(), 'linux-board\n');
});

test('headers at build/ with System.map (and .config only when the tree lacks it), /usr/src/<pkgbase> pointing there', () => {
  const pkg = describeKind('headers');
  assert.equal(pkg.name, 'linux-upstream-headers');
  assert.deepEqual(shown(pkg.entries), [
    `${M}/build`,
    `${M}/build/.config`,
    `${M}/build/System.map`,
    `/usr/src/linux-upstream -> ../lib/modules/${R}/build`,
  ]);
});

test('api-headers provide linux-api-headers at the upstream version; debug links vmlinux into build/', () => {
  const api = describeKind('api-headers');
  assert.deepEqual(shown(api.entries), ['/usr/include', '/usr/include/linux', '/usr/include/linux/a.h']);
  assert.deepEqual(api.provides, [{ name: 'linux-api-headers', version: { op: '=', version: '6.12.0rc3' } }]);
  assert.deepEqual(shown(describeKind('debug').entries), [
    '/usr/src/debug/linux-upstream/vmlinux',
    `${M}/build/vmlinux -> ../../../../src/debug/linux-upstream/vmlinux`,
  ]);
});

test('a soname no Arch package is known for is a warning naming the headers package', async () => {
  const relations = await pacmanLayout('linux-x').runtimeRelations(
    {
      needs: {
        libraries: [
          { soname: 'libelf.so.1', imports: [] },
          { soname: 'libodd.so.3', imports: [] },
        ],
        files: [],
      },
    },
    { debianArch: 'arm64', known: [] },
  );
  assert.deepEqual(relations.depends, [{ name: 'libelf' }]);
  assert.deepEqual(relations.warnings, [
    'no Arch Linux package is known to provide libodd.so.3: linux-x-headers does not depend on it',
  ]);
});
