import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { LibraryImport, LibraryNeed } from '../elf/needs.js';
import { KpkgError } from '../util/errors.js';
import { ShlibsDatabase, type LibraryPackage } from './database.js';
import { mergeDepends } from './relations.js';
import { resolveShlibsDepends } from './shlibdeps.js';
import { parseShlibs } from './shlibs-file.js';
import { parseSymbols } from './symbols-file.js';

// A trimmed libc6 symbols file of bookworm arm64: two sonames, GLIBC_PRIVATE symbols tied to the alternative template.
const LIBC6_SYMBOLS = `libc.so.6 libc6 #MINVER#
| libc6 (>> 2.36), libc6 (<< 2.37)
* Build-Depends-Package: libc-dev
 GLIBC_2.17@GLIBC_2.17 2.17
 GLIBC_2.25@GLIBC_2.25 2.25
 GLIBC_2.34@GLIBC_2.34 2.34
 GLIBC_PRIVATE@GLIBC_PRIVATE 0 1
 __libc_start_main@GLIBC_2.17 2.17
 __libc_start_main@GLIBC_2.34 2.34
 _dl_catch_error@GLIBC_PRIVATE 0 1
 getrandom@GLIBC_2.25 2.25
 memcpy@GLIBC_2.17 2.17
 pthread_create@GLIBC_2.34 2.34
libm.so.6 libc6 #MINVER#
| libc6 (>> 2.36), libc6 (<< 2.37)
 GLIBC_2.17@GLIBC_2.17 2.17
 GLIBC_2.29@GLIBC_2.29 2.29
 exp@GLIBC_2.29 2.29
 sin@GLIBC_2.17 2.17
`;

const LIBC6_SHLIBS = `libc 6 libc6 (>= 2.36)
libm 6 libc6 (>= 2.36)
udeb: libc 6 libc6-udeb (>= 2.36)
`;

const ZLIB_SYMBOLS = `libz.so.1 zlib1g #MINVER#
* Build-Depends-Package: zlib1g-dev
 ZLIB_1.2.9@ZLIB_1.2.9 1:1.2.9
 deflate@Base 1:1.1.4
 deflateInit_@Base 1:1.1.4
 gzopen64@Base 1:1.2.3.3.dfsg-1
 inflateValidate@ZLIB_1.2.9 1:1.2.9
`;

/** A library package of the target architecture, its control files given as text. */
function libraryPackage(name: string, files: { shlibs?: string; symbols?: string }): LibraryPackage {
  const where = `/info/${name}.${files.symbols === undefined ? 'shlibs' : 'symbols'}`;
  return {
    name,
    qualified: true,
    where,
    symbols: files.symbols === undefined ? undefined : parseSymbols(files.symbols, where),
    shlibs: files.shlibs === undefined ? undefined : parseShlibs(files.shlibs),
  };
}

function need(soname: string, ...imports: LibraryImport[]): LibraryNeed {
  return { soname, imports };
}

describe('resolveShlibsDepends', () => {
  const database = new ShlibsDatabase(
    [
      libraryPackage('libbar2', {
        symbols:
          'libbar.so.2 libbar2 #MINVER#\n (symver)BAR_2.0 2.0\n (symver|optional)BAR_2.1 2.1~rc1\n (c++)"bar::run()@Base" 9.9\n',
      }),
      libraryPackage('libbroken1', { symbols: 'libbroken.so.1 libbroken1 #MINVER#\n b@Base 1.0 2\n' }),
      libraryPackage('libc6', { symbols: LIBC6_SYMBOLS, shlibs: LIBC6_SHLIBS }),
      libraryPackage('libfoo1', { symbols: 'libfoo.so.1 libfoo1 #MINVER#\n foo@Base 0\n foo_new@FOO_2 1.5\n' }),
      libraryPackage('libgmp10', { shlibs: 'libgmp 10 libgmp10 (>= 2:6.2.1+dfsg1)\n' }),
      libraryPackage('zlib1g', { symbols: ZLIB_SYMBOLS, shlibs: 'libz 1 zlib1g (>= 1:1.2.3.3.dfsg-1)\n' }),
    ],
    '/info',
  );

  test('the symbols file wins over shlibs; the highest symbol version of the imports counts', () => {
    const r = resolveShlibsDepends(
      [
        need(
          'libc.so.6',
          { name: '__libc_start_main', version: 'GLIBC_2.34' },
          { name: 'memcpy', version: 'GLIBC_2.17' },
        ),
      ],
      database,
    );
    assert.deepEqual(r, {
      depends: ['libc6 (>= 2.34)'],
      resolved: [{ soname: 'libc.so.6', package: 'libc6', source: 'symbols', dependency: 'libc6 (>= 2.34)' }],
      unresolved: [],
    });
  });

  test('a library used only for old symbols still asks for its smallest symbol version, as dpkg-shlibdeps does', () => {
    assert.deepEqual(
      resolveShlibsDepends([need('libc.so.6', { name: 'memcpy', version: 'GLIBC_2.17' })], database).depends,
      ['libc6 (>= 2.17)'],
    );
    assert.deepEqual(resolveShlibsDepends([need('libc.so.6')], database).depends, ['libc6 (>= 2.17)']);
    assert.deepEqual(
      resolveShlibsDepends([need('libc.so.6', { name: 'not_in_file', version: 'GLIBC_2.99' })], database).depends,
      ['libc6 (>= 2.17)'],
    );
  });

  test('GLIBC_PRIVATE symbols bring the alternative template; libc6 (>= …) is implied and goes', () => {
    const r = resolveShlibsDepends(
      [
        need(
          'libc.so.6',
          { name: '__libc_start_main', version: 'GLIBC_2.34' },
          { name: '_dl_catch_error', version: 'GLIBC_PRIVATE' },
        ),
      ],
      database,
    );
    assert.deepEqual(r.depends, ['libc6 (>> 2.36)', 'libc6 (<< 2.37)']);
    assert.equal(r.resolved[0]?.dependency, 'libc6 (>= 2.34), libc6 (>> 2.36), libc6 (<< 2.37)');
  });

  test('several sonames of one package merge into one clause with the highest version', () => {
    const r = resolveShlibsDepends(
      [
        need('libm.so.6', { name: 'exp', version: 'GLIBC_2.29' }),
        need('libc.so.6', { name: 'memcpy', version: 'GLIBC_2.17' }),
      ],
      database,
    );
    assert.deepEqual(r.depends, ['libc6 (>= 2.29)']);
    assert.deepEqual(
      r.resolved.map((l) => l.dependency),
      ['libc6 (>= 2.29)', 'libc6 (>= 2.17)'],
    );
  });

  test('unversioned imports are looked up as name@Base; weak ones count too', () => {
    const unversioned: LibraryImport[] = [
      { name: 'gzopen64' },
      { name: '__gmon_start__', weak: true },
      { name: 'memcpy' },
    ];
    const r = resolveShlibsDepends(
      [need('libz.so.1', ...unversioned), need('libc.so.6', { name: 'memcpy', version: 'GLIBC_2.17' }, ...unversioned)],
      database,
    );
    assert.deepEqual(r.depends, ['libc6 (>= 2.17)', 'zlib1g (>= 1:1.2.3.3.dfsg-1)']);
    const weak = resolveShlibsDepends(
      [need('libz.so.1', { name: 'inflateValidate', version: 'ZLIB_1.2.9', weak: true })],
      database,
    );
    assert.deepEqual(weak.depends, ['zlib1g (>= 1:1.2.9)']);
  });

  test('a shlibs-only library gives its dependency as it is; an unknown soname is unresolved', () => {
    const r = resolveShlibsDepends(
      [
        need('libgmp.so.10', { name: '__gmpz_init' }),
        need('libunknown.so.3', { name: 'x' }),
        need('libc.so.6', { name: '__libc_start_main', version: 'GLIBC_2.34' }),
      ],
      database,
    );
    assert.deepEqual(r.depends, ['libc6 (>= 2.34)', 'libgmp10 (>= 2:6.2.1+dfsg1)']);
    assert.deepEqual(
      r.resolved.map((l) => [l.soname, l.package, l.source]),
      [
        ['libgmp.so.10', 'libgmp10', 'shlibs'],
        ['libc.so.6', 'libc6', 'symbols'],
      ],
    );
    assert.deepEqual(r.unresolved, ['libunknown.so.3']);
  });

  test('minimal version 0 asks for no version; a later symbol with one does', () => {
    assert.deepEqual(resolveShlibsDepends([need('libfoo.so.1', { name: 'foo' })], database).depends, ['libfoo1']);
    assert.deepEqual(
      resolveShlibsDepends([need('libfoo.so.1', { name: 'foo' }, { name: 'foo_new', version: 'FOO_2' })], database)
        .depends,
      ['libfoo1 (>= 1.5)'],
    );
  });

  test('symver patterns match every symbol of their version node; c++ patterns match nothing', () => {
    assert.deepEqual(
      resolveShlibsDepends([need('libbar.so.2', { name: 'anything', version: 'BAR_2.1' })], database).depends,
      ['libbar2 (>= 2.1~rc1)'],
    );
    assert.deepEqual(resolveShlibsDepends([need('libbar.so.2', { name: 'bar::run()' })], database).depends, [
      'libbar2',
    ]);
  });

  test('the same soname needed twice is resolved once with all its imports', () => {
    const r = resolveShlibsDepends(
      [
        need('libc.so.6', { name: 'memcpy', version: 'GLIBC_2.17' }),
        need('libc.so.6', { name: 'getrandom', version: 'GLIBC_2.25' }),
      ],
      database,
    );
    assert.deepEqual(r.depends, ['libc6 (>= 2.25)']);
    assert.equal(r.resolved.length, 1);
  });

  test('a symbol naming a dependency template the file lacks is an error', () => {
    assert.throws(
      () => resolveShlibsDepends([need('libbroken.so.1', { name: 'b' })], database),
      (e: unknown) => e instanceof KpkgError && /template 2/.test(e.message) && e.where === '/info/libbroken1.symbols',
    );
  });

  test('no needs: no Depends', () => {
    assert.deepEqual(resolveShlibsDepends([], database), { depends: [], resolved: [], unresolved: [] });
  });
});

// The build machine's own dpkg database: real control files, read as the data of an "amd64 target".
const HOST_INFO = '/var/lib/dpkg/info';
const hasHostLibc = existsSync(join(HOST_INFO, 'libc6:amd64.symbols'));

test(
  "real data: this machine's amd64 libc6, zlib1g and libelf1 control files",
  { skip: !hasHostLibc && 'no /var/lib/dpkg/info/libc6:amd64.symbols (not a Debian amd64 machine)' },
  async () => {
    const db = await ShlibsDatabase.fromDpkgInfo('/', 'amd64');
    const unversioned: LibraryImport[] = [{ name: 'deflate' }, { name: '__gmon_start__', weak: true }];
    const needs = [
      need(
        'libc.so.6',
        { name: '__libc_start_main', version: 'GLIBC_2.34' },
        { name: 'printf', version: 'GLIBC_2.2.5' },
        { name: '__cxa_finalize', version: 'GLIBC_2.2.5', weak: true },
        ...unversioned,
      ),
      need('libm.so.6', { name: 'sin', version: 'GLIBC_2.2.5' }, ...unversioned),
    ];
    if (existsSync(join(HOST_INFO, 'zlib1g:amd64.symbols'))) needs.push(need('libz.so.1', ...unversioned));
    if (existsSync(join(HOST_INFO, 'libelf1:amd64.symbols')))
      needs.push(need('libelf.so.1', { name: 'elf_version', version: 'ELFUTILS_1.0' }, ...unversioned));
    const r = resolveShlibsDepends(needs, db);
    assert.deepEqual(r.unresolved, []);
    assert.equal(r.depends[0], 'libc6 (>= 2.34)');
    assert.deepEqual(r.resolved.slice(0, 2), [
      { soname: 'libc.so.6', package: 'libc6', source: 'symbols', dependency: 'libc6 (>= 2.34)' },
      { soname: 'libm.so.6', package: 'libc6', source: 'symbols', dependency: 'libc6 (>= 2.2.5)' },
    ]);
    // Same answers as dpkg-shlibdeps gives on bookworm for a program using these symbols.
    if (existsSync(join(HOST_INFO, 'zlib1g:amd64.symbols')))
      assert.ok(r.depends.includes('zlib1g (>= 1:1.1.4)'), r.depends.join(', '));
    if (existsSync(join(HOST_INFO, 'libelf1:amd64.symbols')))
      assert.ok(r.depends.includes('libelf1 (>= 0.131)'), r.depends.join(', '));

    // A GLIBC_PRIVATE symbol: the file's own alternative template replaces the (>=) clause.
    const alternative = db.symbolsFor('libc.so.6')?.library.templates[1];
    const priv = resolveShlibsDepends(
      [
        need(
          'libc.so.6',
          { name: '__libc_start_main', version: 'GLIBC_2.34' },
          { name: '_dl_catch_error', version: 'GLIBC_PRIVATE' },
        ),
      ],
      db,
    );
    assert.ok(alternative !== undefined);
    assert.deepEqual(priv.depends, mergeDepends([alternative]));
    assert.ok(
      priv.depends.every((d) => /^libc6 \((>>|<<) /.test(d)),
      priv.depends.join(', '),
    );
  },
);
