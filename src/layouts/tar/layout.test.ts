import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archByDebian } from '../../arch/arch-table.js';
import { testImageContents, testKernelParts, testStagedHeaders } from '../../testing/kernel-parts.js';
import { testPackageSet } from '../../testing/package-set.js';
import { tarLayout } from './layout.js';

const R = '6.12.95';
const arm64 = archByDebian('arm64');
const image = testImageContents(R, ['modules.dep']);
const headers = testStagedHeaders(
  R,
  [
    { path: 'Makefile', kind: 'file', source: '/src/Makefile', mode: 0o664, size: 3, origin: 'srctree' },
    { path: 'scripts/basic/fixdep', kind: 'file', source: '/obj/fixdep', mode: 0o775, size: 9, origin: 'objtree' },
  ],
  { elfCount: 1 },
);
const parts = testKernelParts(image);

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
