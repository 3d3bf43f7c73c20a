import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetPackageRoots, type TargetRootsRequest } from './target-roots.js';

const base: TargetRootsRequest = {
  debianArch: 'arm64',
  libraries: undefined,
  native: false,
  cacheDir: '/nonexistent/cache',
};

test('the roots the rebuild used, most specific first: the fetched sysroot, --sysroot, then multiarch', async () => {
  const roots = await targetPackageRoots({
    ...base,
    sysroot: '/srv/arm64-root',
    libraries: { source: 'fetched', sysroot: '/cache/sysroot-arm64', description: 'fetched' },
  });
  assert.equal(roots.debianArch, 'arm64');
  assert.deepEqual(roots.known, [
    { path: '/cache/sysroot-arm64', kind: 'kpkg-sysroot' },
    { path: '/srv/arm64-root', kind: 'debian-root' },
  ]);
  const multiarch = await targetPackageRoots({ ...base, libraries: { source: 'multiarch', description: 'multiarch' } });
  assert.deepEqual(multiarch.known, [{ path: '/', kind: 'build-machine' }]);
});

test("a native build reads the build machine's database; nothing rebuilt and not native, no root is known", async () => {
  assert.deepEqual((await targetPackageRoots({ ...base, native: true })).known, [{ path: '/', kind: 'build-machine' }]);
  assert.deepEqual((await targetPackageRoots(base)).known, []);
});
