import assert from 'node:assert/strict';
import { test } from 'node:test';
import { moduleName, parseModulesDep, withDependencies } from './modules-dep.js';

test('parseModulesDep reads the lines depmod writes', () => {
  const deps = parseModulesDep(
    [
      'kernel/lib/crc-ccitt.ko:',
      'kernel/drivers/md/dm-mod.ko: kernel/lib/foo.ko',
      'kernel/fs/btrfs/btrfs.ko.xz: kernel/lib/raid6/raid6_pq.ko.xz kernel/crypto/xor.ko.xz',
      '',
      'not a line of modules.dep',
      ': kernel/lib/nameless.ko',
    ].join('\n'),
  );
  assert.deepEqual(
    [...deps],
    [
      ['kernel/lib/crc-ccitt.ko', []],
      ['kernel/drivers/md/dm-mod.ko', ['kernel/lib/foo.ko']],
      ['kernel/fs/btrfs/btrfs.ko.xz', ['kernel/lib/raid6/raid6_pq.ko.xz', 'kernel/crypto/xor.ko.xz']],
    ],
  );
});

test('moduleName strips .ko and its compression, and spells - as _', () => {
  assert.equal(moduleName('kernel/lib/crc-ccitt.ko'), 'crc_ccitt');
  assert.equal(moduleName('kernel/drivers/md/dm-mod.ko.xz'), 'dm_mod');
  assert.equal(moduleName('kernel/fs/fat/vfat.ko.zst'), 'vfat');
  assert.equal(moduleName('kernel/lib/zlib_inflate/zlib_inflate.ko.gz'), 'zlib_inflate');
  assert.equal(moduleName('/tmp/kpkg-module/kpkg-hello.ko'), 'kpkg_hello');
  assert.equal(moduleName('kpkg_hello.ko'), 'kpkg_hello');
});

test('withDependencies closes over what the paths need, each once, sorted', () => {
  const deps = parseModulesDep(
    [
      'kernel/fs/a.ko: kernel/lib/b.ko kernel/lib/c.ko',
      'kernel/lib/b.ko: kernel/lib/c.ko',
      'kernel/lib/c.ko:',
      'kernel/lib/unrelated.ko:',
    ].join('\n'),
  );
  assert.deepEqual(withDependencies(deps, ['kernel/fs/a.ko']), [
    'kernel/fs/a.ko',
    'kernel/lib/b.ko',
    'kernel/lib/c.ko',
  ]);
  assert.deepEqual(withDependencies(deps, []), []);
});

test('a dependency cycle terminates, and the order does not depend on the order asked', () => {
  const deps = parseModulesDep(
    ['kernel/lib/x.ko: kernel/lib/y.ko', 'kernel/lib/y.ko: kernel/lib/z.ko', 'kernel/lib/z.ko: kernel/lib/x.ko'].join(
      '\n',
    ),
  );
  const expected = ['kernel/lib/x.ko', 'kernel/lib/y.ko', 'kernel/lib/z.ko'];
  assert.deepEqual(withDependencies(deps, ['kernel/lib/z.ko']), expected);
  assert.deepEqual(withDependencies(deps, ['kernel/lib/y.ko', 'kernel/lib/x.ko']), expected);
});

test('a path modules.dep does not list is kept, with nothing added', () => {
  assert.deepEqual(withDependencies(new Map(), ['kernel/lib/gone.ko']), ['kernel/lib/gone.ko']);
});
