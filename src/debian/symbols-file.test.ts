import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import { parseSymbols } from './symbols-file.js';

// A trimmed libc6 symbols file of bookworm arm64: GLIBC_PRIVATE symbols tied to the alternative template.
const LIBC6_SYMBOLS = `libc.so.6 libc6 #MINVER#
| libc6 (>> 2.36), libc6 (<< 2.37)
* Build-Depends-Package: libc-dev
 GLIBC_2.17@GLIBC_2.17 2.17
 GLIBC_PRIVATE@GLIBC_PRIVATE 0 1
 __libc_start_main@GLIBC_2.34 2.34
 _dl_catch_error@GLIBC_PRIVATE 0 1
libm.so.6 libc6 #MINVER#
| libc6 (>> 2.36), libc6 (<< 2.37)
 GLIBC_2.17@GLIBC_2.17 2.17
 GLIBC_2.29@GLIBC_2.29 2.29
 exp@GLIBC_2.29 2.29
 sin@GLIBC_2.17 2.17
`;

test('symbols: templates, alternatives, Build-Depends-Package, dependency ids and tags', () => {
  const libs = parseSymbols(
    `${LIBC6_SYMBOLS}libbar.so.2 libbar2 #MINVER#
* Build-Depends-Packages: libbar-dev, libbar-extra-dev
 (symver)BAR_2.0 2.0
 (symver|optional)BAR_2.1 2.1~rc1
 (c++)"bar::run()@Base" 9.9
 (regex)"^baz" 9.9
 (arch=arm64 armhf)bar_arm@BAR_2.0 2.0-1
 *@BAR_3 3.0
#MISSING: 2.2# gone@BAR_2.0 1.0
`,
  );
  const libc = libs.get('libc.so.6');
  assert.ok(libc !== undefined);
  assert.deepEqual(libc.templates, ['libc6 #MINVER#', 'libc6 (>> 2.36), libc6 (<< 2.37)']);
  assert.deepEqual(libc.buildDependsPackages, ['libc-dev']);
  assert.deepEqual(libc.symbols.get('_dl_catch_error@GLIBC_PRIVATE'), {
    minVersion: '0',
    dependencyId: 1,
    deprecated: false,
  });
  assert.deepEqual(libc.symbols.get('__libc_start_main@GLIBC_2.34'), {
    minVersion: '2.34',
    dependencyId: 0,
    deprecated: false,
  });
  assert.equal(libs.get('libm.so.6')?.symbols.size, 4);
  const bar = libs.get('libbar.so.2');
  assert.ok(bar !== undefined);
  assert.deepEqual(bar.buildDependsPackages, ['libbar-dev', 'libbar-extra-dev']);
  assert.deepEqual([...bar.symverPatterns.keys()], ['BAR_2.0', 'BAR_2.1', 'BAR_3']);
  assert.deepEqual([...bar.symbols.keys()], ['bar_arm@BAR_2.0', 'gone@BAR_2.0']);
  assert.equal(bar.symbols.get('gone@BAR_2.0')?.deprecated, true);
});

test('symbols: CRLF lines; field names in any case; malformed symbol lines skipped', () => {
  const libs = parseSymbols(
    'libz.so.1 zlib1g #MINVER#\r\n* build-depends-PACKAGE: zlib1g-dev\r\n deflate@Base 1:1.1.4\r\n nominver@Base\r\n',
  );
  const z = libs.get('libz.so.1');
  assert.ok(z !== undefined);
  assert.deepEqual(z.templates, ['zlib1g #MINVER#']);
  assert.deepEqual(z.buildDependsPackages, ['zlib1g-dev']);
  assert.deepEqual([...z.symbols.keys()], ['deflate@Base']);
  assert.equal(z.symbols.get('deflate@Base')?.minVersion, '1:1.1.4');
});

test('symbols: a soname named again starts its templates over and keeps its symbols', () => {
  const libs = parseSymbols(
    'liba.so.1 liba1 #MINVER#\n| liba1-alt\n a@Base 1\nliba.so.1 liba1-new #MINVER#\n b@Base 2\n',
  );
  assert.deepEqual(libs.get('liba.so.1')?.templates, ['liba1-new #MINVER#']);
  assert.deepEqual([...(libs.get('liba.so.1')?.symbols.keys() ?? [])], ['a@Base', 'b@Base']);
});

test('symbols: a symbol line before any soname line is an error naming the file', () => {
  assert.throws(
    () => parseSymbols(' foo@Base 1.0\n', '/x/symbols'),
    (e: unknown) => e instanceof KpkgError && e.where === '/x/symbols' && /line 1/.test(e.message),
  );
});

test('symbols: an alternative template or a field before any soname line is an error too', () => {
  assert.throws(
    () => parseSymbols('# header\n| liba1-alt\n', '/x/symbols'),
    (e: unknown) => e instanceof KpkgError && /line 2/.test(e.message),
  );
  assert.throws(
    () => parseSymbols('* Build-Depends-Package: x-dev\n'),
    (e: unknown) => e instanceof KpkgError && /symbols file, line 1/.test(e.message),
  );
});
