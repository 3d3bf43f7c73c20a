import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian } from '../../arch/arch-table.js';
import type { StagedHeaders } from '../../kernel/headers/stage.js';
import type { StagedItem } from '../../kernel/install/staged-tree.js';
import type { ImageContents, KernelParts } from '../../kernel/parts.js';
import { testPackageSet } from '../../testing/package-set.js';
import { tarLayout } from './layout.js';

const R = '6.12.95';
const arm64 = archByDebian('arm64');
const item = (path: string, kind: StagedItem['kind'] = 'file'): StagedItem => ({
  path,
  kind,
  source: `/stage/${path}`,
  mode: kind === 'dir' ? 0o755 : 0o644,
  size: 10,
});
const image: ImageContents = {
  release: R,
  bootImage: { source: '/b/arch/arm64/boot/Image.gz', size: 1000, bootName: `vmlinuz-${R}` },
  systemMap: { source: '/b/System.map', size: 100 },
  config: { source: '/b/.config', size: 50 },
  modules: [
    item('lib', 'dir'),
    item('lib/modules', 'dir'),
    item(`lib/modules/${R}`, 'dir'),
    item(`lib/modules/${R}/modules.dep`),
  ],
  dtbs: [item('arm', 'dir'), item('arm/juno.dtb')],
  initrd: true,
};
const headers: StagedHeaders = {
  release: R,
  entries: [
    { path: 'Makefile', kind: 'file', source: '/src/Makefile', mode: 0o664, size: 3, origin: 'srctree' },
    { path: 'scripts/basic/fixdep', kind: 'file', source: '/obj/fixdep', mode: 0o775, size: 9, origin: 'objtree' },
  ],
  rebuilt: [],
  elfCount: 1,
  libraries: undefined,
  needs: { libraries: [], files: [] },
  dispose: () => Promise.resolve(),
};
const parts: KernelParts = {
  image,
  systemMap: image.systemMap,
  config: image.config,
  vmlinux: { source: '/b/vmlinux', size: 5000 },
};

test("buildtar's layout, plus the headers tree at lib/modules/<release>/build", () => {
  assert.ok(arm64 !== undefined);
  const layout = tarLayout({ headers: true });
  assert.deepEqual(layout.partsOf('tarball'), ['image', 'headers']);
  const pkg = layout.describe('tarball', { ...parts, headers }, { arch: arm64, set: testPackageSet(R), runtime: [] });
  assert.equal(pkg.name, `linux-${R}-arm64`);
  assert.equal(pkg.version, R);
  assert.deepEqual(
    pkg.entries.map((e) =>
      e.kind === 'file' ? `${e.path} ${e.mode.toString(8)} ${e.source.from === 'disk' ? e.source.path : ''}` : e.path,
    ),
    [
      '/boot',
      `/boot/vmlinuz-${R} 644 /b/arch/arm64/boot/Image.gz`,
      `/boot/System.map-${R} 644 /b/System.map`,
      `/boot/config-${R} 644 /b/.config`,
      `/boot/vmlinux-${R} 644 /b/vmlinux`,
      `/boot/dtbs/${R}`,
      `/boot/dtbs/${R}/arm`,
      `/boot/dtbs/${R}/arm/juno.dtb 644 /stage/arm/juno.dtb`,
      '/lib',
      '/lib/modules',
      `/lib/modules/${R}`,
      `/lib/modules/${R}/modules.dep 644 /stage/lib/modules/${R}/modules.dep`,
      `/lib/modules/${R}/build`,
      `/lib/modules/${R}/build/Makefile 644 /src/Makefile`,
      `/lib/modules/${R}/build/scripts/basic/fixdep 755 /obj/fixdep`,
    ],
  );
});

test('an ELF boot image is not shipped twice; without headers, no build tree and no need for modules', () => {
  assert.ok(arm64 !== undefined);
  const layout = tarLayout({ headers: false });
  assert.deepEqual(layout.partsOf('tarball'), ['image']);
  assert.equal(layout.notApplicable('tarball', { modules: false, debugInfo: false }), undefined);
  const elfImage = { ...image, bootImage: { ...image.bootImage, bootName: `vmlinux-${R}` }, dtbs: [] };
  const pkg = layout.describe(
    'tarball',
    { ...parts, image: elfImage },
    { arch: arm64, set: testPackageSet(R), runtime: [] },
  );
  const paths = pkg.entries.map((e) => e.path);
  assert.equal(paths.filter((p) => p === `/boot/vmlinux-${R}`).length, 1);
  assert.ok(!paths.some((p) => p.startsWith('/boot/dtbs') || p.includes('/build')));
  assert.match(
    tarLayout({ headers: true }).notApplicable('tarball', { modules: false, debugInfo: false }) ?? '',
    /without CONFIG_MODULES.*--no-headers/,
  );
});
