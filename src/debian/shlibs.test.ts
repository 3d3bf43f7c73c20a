import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import {
  compareDebianVersions,
  mergeDepends,
  parseShlibs,
  parseSymbols,
  resolveShlibsDepends,
  shlibsDependency,
  ShlibsDatabase,
  splitSoname,
  type LibraryImport,
  type LibraryNeed,
} from './shlibs.js';

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

async function writePackage(root: string, name: string, files: { control?: string; shlibs?: string; symbols?: string }): Promise<void> {
  const dir = join(root, '.kpkg/control', name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
}

function control(name: string, arch: string): string {
  return `Package: ${name}\nVersion: 1\nArchitecture: ${arch}\nDescription: test\n`;
}

function need(soname: string, ...imports: LibraryImport[]): LibraryNeed {
  return { soname, imports };
}

describe('compareDebianVersions', () => {
  // Each row checked against `dpkg --compare-versions`.
  const rows: [string, string, number][] = [
    ['1.0~rc1', '1.0', -1],
    ['2:1.0', '3.0', 1],
    ['1.0-1', '1.0-1+deb12u1', -1],
    ['1.0', '1.0-0', 0],
    ['0:1.0', '1.0', 0],
    ['1.0a', '1.0+', -1],
    ['1.0~~', '1.0~', -1],
    ['1.01', '1.1', 0],
    ['1.0.0', '1.0', 1],
    ['1.0.', '1.0', 1],
    ['1.0-1~bpo', '1.0-1', -1],
    ['1.0~rc1-1', '1.0-1', -1],
    ['10', '9', 1],
    ['000010', '9', 1],
    ['2.36-9+deb12u14', '2.36-9+deb12u9', 1],
    ['1:1.2.13.dfsg-1', '1:1.2.3.3.dfsg-1', 1],
    ['12345678901234567890', '12345678901234567891', -1],
    ['2.34', '2.34', 0],
  ];
  for (const [a, b, expected] of rows) {
    test(`${a} vs ${b}`, () => {
      assert.equal(compareDebianVersions(a, b), expected);
      assert.equal(compareDebianVersions(b, a), -expected || 0);
    });
  }
});

test('splitSoname: <name>.so.<version> and <name>-<version>.so', () => {
  assert.deepEqual(splitSoname('libz.so.1'), { name: 'libz', version: '1' });
  assert.deepEqual(splitSoname('libapt-pkg.so.6.0'), { name: 'libapt-pkg', version: '6.0' });
  assert.deepEqual(splitSoname('libdb-5.3.so'), { name: 'libdb', version: '5.3' });
  assert.equal(splitSoname('libmemusage.so'), undefined);
});

test('shlibs: untyped entries for debs, a deb: entry wins, udeb entries never count', () => {
  const entries = parseShlibs(`# comment\n${LIBC6_SHLIBS}libdb 5.3 libdb5.3\nlibx 1 libx1 (>= 1)\ndeb: libx 1 libx1 (>= 2)\nudeb: liby 1 liby-udeb\n`);
  assert.equal(shlibsDependency(entries, 'libc.so.6'), 'libc6 (>= 2.36)');
  assert.equal(shlibsDependency(entries, 'libdb-5.3.so'), 'libdb5.3');
  assert.equal(shlibsDependency(entries, 'libx.so.1'), 'libx1 (>= 2)');
  assert.equal(shlibsDependency(entries, 'liby.so.1'), undefined);
  assert.equal(shlibsDependency(entries, 'libc.so.7'), undefined);
  assert.deepEqual(entries[2], { type: 'udeb', library: 'libc', soversion: '6', dependency: 'libc6-udeb (>= 2.36)' });
});

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
  assert.deepEqual(libc.symbols.get('_dl_catch_error@GLIBC_PRIVATE'), { minVersion: '0', dependencyId: 1, deprecated: false });
  assert.deepEqual(libc.symbols.get('__libc_start_main@GLIBC_2.34'), { minVersion: '2.34', dependencyId: 0, deprecated: false });
  assert.equal(libs.get('libm.so.6')?.symbols.size, 4);
  const bar = libs.get('libbar.so.2');
  assert.ok(bar !== undefined);
  assert.deepEqual(bar.buildDependsPackages, ['libbar-dev', 'libbar-extra-dev']);
  assert.deepEqual([...bar.symverPatterns.keys()], ['BAR_2.0', 'BAR_2.1', 'BAR_3']);
  assert.deepEqual([...bar.symbols.keys()], ['bar_arm@BAR_2.0', 'gone@BAR_2.0']);
  assert.equal(bar.symbols.get('gone@BAR_2.0')?.deprecated, true);
});

test('symbols: a symbol line before any soname line is an error naming the file', () => {
  assert.throws(
    () => parseSymbols(' foo@Base 1.0\n', '/x/symbols'),
    (e: unknown) => e instanceof KpkgError && e.where === '/x/symbols' && /line 1/.test(e.message),
  );
});

test('mergeDepends: duplicates and implied clauses go, the highest >= stays, sorted like dpkg', () => {
  // What Dpkg::Deps simplify_deps + sort make of the same list.
  assert.deepEqual(mergeDepends(['libc6 (>= 2.34), libc6 (>> 2.36), libc6 (<< 2.37), libc6', 'zlib1g (>= 1:1.1.4) | libz', 'zlib1g (>= 1:1.2)', 'libfoo (= 1.0), libfoo (>= 0.9), libfoo (<= 1.0)']), [
    'libc6 (>> 2.36)',
    'libc6 (<< 2.37)',
    'libfoo (= 1.0)',
    'zlib1g (>= 1:1.2)',
  ]);
  assert.deepEqual(mergeDepends(['libc6 (>= 2.17)', 'libc6 (>= 2.34)', 'libc6   (>=2.34)', 'libgmp10 (>= 2:6.2.1+dfsg1)', 'libc6 (>= 2.4)']), ['libc6 (>= 2.34)', 'libgmp10 (>= 2:6.2.1+dfsg1)']);
  assert.deepEqual(mergeDepends(['b (>= 1.0~rc1)', 'b (>= 1.0)', 'a']), ['a', 'b (>= 1.0)']);
  assert.deepEqual(mergeDepends(['libx (> 1)']), ['libx (>= 1)']);
});

describe('resolveShlibsDepends on a target sysroot\'s control directories', () => {
  let root = '';
  let database: ShlibsDatabase;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kpkg-shlibs-'));
    await writePackage(root, 'libc6', { control: control('libc6', 'arm64'), symbols: LIBC6_SYMBOLS, shlibs: LIBC6_SHLIBS });
    await writePackage(root, 'zlib1g', { control: control('zlib1g', 'arm64'), symbols: ZLIB_SYMBOLS, shlibs: 'libz 1 zlib1g (>= 1:1.2.3.3.dfsg-1)\n' });
    await writePackage(root, 'libgmp10', { control: control('libgmp10', 'arm64'), shlibs: 'libgmp 10 libgmp10 (>= 2:6.2.1+dfsg1)\n' });
    await writePackage(root, 'libfoo1', { control: control('libfoo1', 'arm64'), symbols: 'libfoo.so.1 libfoo1 #MINVER#\n foo@Base 0\n foo_new@FOO_2 1.5\n' });
    await writePackage(root, 'libbar2', { control: control('libbar2', 'arm64'), symbols: 'libbar.so.2 libbar2 #MINVER#\n (symver)BAR_2.0 2.0\n (symver|optional)BAR_2.1 2.1~rc1\n (c++)"bar::run()@Base" 9.9\n' });
    await writePackage(root, 'libbroken1', { control: control('libbroken1', 'arm64'), symbols: 'libbroken.so.1 libbroken1 #MINVER#\n b@Base 1.0 2\n' });
    await writePackage(root, 'libelf-dev', { control: control('libelf-dev', 'arm64') });
    // The build machine's C library, which must not count for an arm64 target.
    await writePackage(root, 'libc6-amd64', { control: control('libc6', 'amd64'), symbols: LIBC6_SYMBOLS.replace('2.34@GLIBC_2.34 2.34', '2.34@GLIBC_2.34 2.99'), shlibs: LIBC6_SHLIBS });
    database = await ShlibsDatabase.fromControlDirs(root, { architecture: 'arm64' });
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('only packages of the target architecture with shlibs or symbols are read', () => {
    assert.deepEqual(database.packages.map((p) => p.name), ['libbar2', 'libbroken1', 'libc6', 'libfoo1', 'libgmp10', 'zlib1g']);
    assert.equal(database.packages.find((p) => p.name === 'libc6')?.where, join(root, '.kpkg/control/libc6/symbols'));
  });

  test('the symbols file wins over shlibs; the highest symbol version of the imports counts', () => {
    const r = resolveShlibsDepends([need('libc.so.6', { name: '__libc_start_main', version: 'GLIBC_2.34' }, { name: 'memcpy', version: 'GLIBC_2.17' })], database);
    assert.deepEqual(r, { depends: ['libc6 (>= 2.34)'], resolved: [{ soname: 'libc.so.6', package: 'libc6', source: 'symbols', dependency: 'libc6 (>= 2.34)' }], unresolved: [] });
  });

  test('a library used only for old symbols still asks for its smallest symbol version, as dpkg-shlibdeps does', () => {
    assert.deepEqual(resolveShlibsDepends([need('libc.so.6', { name: 'memcpy', version: 'GLIBC_2.17' })], database).depends, ['libc6 (>= 2.17)']);
    assert.deepEqual(resolveShlibsDepends([need('libc.so.6')], database).depends, ['libc6 (>= 2.17)']);
    assert.deepEqual(resolveShlibsDepends([need('libc.so.6', { name: 'not_in_file', version: 'GLIBC_2.99' })], database).depends, ['libc6 (>= 2.17)']);
  });

  test('GLIBC_PRIVATE symbols bring the alternative template; libc6 (>= …) is implied and goes', () => {
    const r = resolveShlibsDepends([need('libc.so.6', { name: '__libc_start_main', version: 'GLIBC_2.34' }, { name: '_dl_catch_error', version: 'GLIBC_PRIVATE' })], database);
    assert.deepEqual(r.depends, ['libc6 (>> 2.36)', 'libc6 (<< 2.37)']);
    assert.equal(r.resolved[0]?.dependency, 'libc6 (>= 2.34), libc6 (>> 2.36), libc6 (<< 2.37)');
  });

  test('several sonames of one package merge into one clause with the highest version', () => {
    const r = resolveShlibsDepends([need('libm.so.6', { name: 'exp', version: 'GLIBC_2.29' }), need('libc.so.6', { name: 'memcpy', version: 'GLIBC_2.17' })], database);
    assert.deepEqual(r.depends, ['libc6 (>= 2.29)']);
    assert.deepEqual(
      r.resolved.map((l) => l.dependency),
      ['libc6 (>= 2.29)', 'libc6 (>= 2.17)'],
    );
  });

  test('unversioned imports are looked up as name@Base; weak ones count too', () => {
    const unversioned: LibraryImport[] = [{ name: 'gzopen64' }, { name: '__gmon_start__', weak: true }, { name: 'memcpy' }];
    const r = resolveShlibsDepends([need('libz.so.1', ...unversioned), need('libc.so.6', { name: 'memcpy', version: 'GLIBC_2.17' }, ...unversioned)], database);
    assert.deepEqual(r.depends, ['libc6 (>= 2.17)', 'zlib1g (>= 1:1.2.3.3.dfsg-1)']);
    const weak = resolveShlibsDepends([need('libz.so.1', { name: 'inflateValidate', version: 'ZLIB_1.2.9', weak: true })], database);
    assert.deepEqual(weak.depends, ['zlib1g (>= 1:1.2.9)']);
  });

  test('a shlibs-only library gives its dependency as it is; an unknown soname is unresolved', () => {
    const r = resolveShlibsDepends([need('libgmp.so.10', { name: '__gmpz_init' }), need('libunknown.so.3', { name: 'x' }), need('libc.so.6', { name: '__libc_start_main', version: 'GLIBC_2.34' })], database);
    assert.deepEqual(r.depends, ['libc6 (>= 2.34)', 'libgmp10 (>= 2:6.2.1+dfsg1)']);
    assert.deepEqual(r.resolved.map((l) => [l.soname, l.package, l.source]), [
      ['libgmp.so.10', 'libgmp10', 'shlibs'],
      ['libc.so.6', 'libc6', 'symbols'],
    ]);
    assert.deepEqual(r.unresolved, ['libunknown.so.3']);
  });

  test('minimal version 0 asks for no version; a later symbol with one does', () => {
    assert.deepEqual(resolveShlibsDepends([need('libfoo.so.1', { name: 'foo' })], database).depends, ['libfoo1']);
    assert.deepEqual(resolveShlibsDepends([need('libfoo.so.1', { name: 'foo' }, { name: 'foo_new', version: 'FOO_2' })], database).depends, ['libfoo1 (>= 1.5)']);
  });

  test('symver patterns match every symbol of their version node; c++ patterns match nothing', () => {
    assert.deepEqual(resolveShlibsDepends([need('libbar.so.2', { name: 'anything', version: 'BAR_2.1' })], database).depends, ['libbar2 (>= 2.1~rc1)']);
    assert.deepEqual(resolveShlibsDepends([need('libbar.so.2', { name: 'bar::run()' })], database).depends, ['libbar2']);
  });

  test('the same soname needed twice is resolved once with all its imports', () => {
    const r = resolveShlibsDepends([need('libc.so.6', { name: 'memcpy', version: 'GLIBC_2.17' }), need('libc.so.6', { name: 'getrandom', version: 'GLIBC_2.25' })], database);
    assert.deepEqual(r.depends, ['libc6 (>= 2.25)']);
    assert.equal(r.resolved.length, 1);
  });

  test('a symbol naming a dependency template the file lacks is an error', () => {
    assert.throws(() => resolveShlibsDepends([need('libbroken.so.1', { name: 'b' })], database), (e: unknown) => e instanceof KpkgError && /template 2/.test(e.message));
  });

  test('without an architecture filter two packages declaring one soname is an error, not a guess', async () => {
    const all = await ShlibsDatabase.fromControlDirs(root);
    assert.throws(() => resolveShlibsDepends([need('libc.so.6')], all), (e: unknown) => e instanceof KpkgError && /libc6, libc6-amd64|libc6-amd64, libc6/.test(e.message));
  });

  test('a root without control directories is an error with a hint', async () => {
    await assert.rejects(ShlibsDatabase.fromControlDirs(join(root, 'nothing')), (e: unknown) => e instanceof KpkgError && e.hint !== undefined);
  });
});

describe('a dpkg database info directory', () => {
  let root = '';

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kpkg-shlibs-dpkg-'));
    const info = join(root, 'var/lib/dpkg/info');
    await mkdir(info, { recursive: true });
    await writeFile(join(info, 'libc6:arm64.symbols'), LIBC6_SYMBOLS);
    await writeFile(join(info, 'libc6:arm64.shlibs'), LIBC6_SHLIBS);
    await writeFile(join(info, 'libc6:arm64.list'), '/.\n');
    await writeFile(join(info, 'libc6:amd64.symbols'), LIBC6_SYMBOLS.replaceAll('2.34', '2.99'));
    await writeFile(join(info, 'libgmp10:arm64.shlibs'), 'libgmp 10 libgmp10 (>= 2:6.2.1+dfsg1)\n');
    // Not Multi-Arch: same: no architecture in the name.
    await writeFile(join(info, 'libapt-pkg6.0.symbols'), 'libapt-pkg.so.6.0 libapt-pkg6.0 (>= 2.6)\n a@APTPKG_6.0 2.6\n');
    // A cross-toolchain package (Architecture: all) that declares the same libgmp soname.
    await writeFile(join(info, 'libgmp10-arm64-cross.shlibs'), 'libgmp 10 libgmp10-arm64-cross (>= 6)\n');
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('reads <package>:<arch> files of the asked architecture only', async () => {
    const db = await ShlibsDatabase.fromDpkgInfo(root, 'arm64');
    assert.deepEqual(db.packages.map((p) => p.name).sort(), ['libc6', 'libgmp10']);
    const r = resolveShlibsDepends([need('libc.so.6', { name: '__libc_start_main', version: 'GLIBC_2.34' }), need('libgmp.so.10'), need('libapt-pkg.so.6.0')], db);
    assert.deepEqual(r.depends, ['libc6 (>= 2.34)', 'libgmp10 (>= 2:6.2.1+dfsg1)']);
    assert.deepEqual(r.unresolved, ['libapt-pkg.so.6.0']);
  });

  test('unqualified names only when asked; a qualified package wins a tie with them', async () => {
    const db = await ShlibsDatabase.fromDpkgInfo(root, 'arm64', { unqualified: true });
    const r = resolveShlibsDepends([need('libgmp.so.10'), need('libapt-pkg.so.6.0', { name: 'a', version: 'APTPKG_6.0' })], db);
    assert.deepEqual(r.depends, ['libapt-pkg6.0 (>= 2.6)', 'libgmp10 (>= 2:6.2.1+dfsg1)']);
    assert.deepEqual(r.resolved.map((l) => l.package), ['libgmp10', 'libapt-pkg6.0']);
  });
});

// The build machine's own dpkg database: real control files, read as the data of an "amd64 target".
const HOST_INFO = '/var/lib/dpkg/info';
const hasHostLibc = existsSync(join(HOST_INFO, 'libc6:amd64.symbols'));

test('real data: this machine\'s amd64 libc6, zlib1g and libelf1 control files', { skip: !hasHostLibc && 'no /var/lib/dpkg/info/libc6:amd64.symbols (not a Debian amd64 machine)' }, async () => {
  const db = await ShlibsDatabase.fromDpkgInfo('/', 'amd64');
  const unversioned: LibraryImport[] = [{ name: 'deflate' }, { name: '__gmon_start__', weak: true }];
  const needs = [
    need('libc.so.6', { name: '__libc_start_main', version: 'GLIBC_2.34' }, { name: 'printf', version: 'GLIBC_2.2.5' }, { name: '__cxa_finalize', version: 'GLIBC_2.2.5', weak: true }, ...unversioned),
    need('libm.so.6', { name: 'sin', version: 'GLIBC_2.2.5' }, ...unversioned),
  ];
  if (existsSync(join(HOST_INFO, 'zlib1g:amd64.symbols'))) needs.push(need('libz.so.1', ...unversioned));
  if (existsSync(join(HOST_INFO, 'libelf1:amd64.symbols'))) needs.push(need('libelf.so.1', { name: 'elf_version', version: 'ELFUTILS_1.0' }, ...unversioned));
  const r = resolveShlibsDepends(needs, db);
  assert.deepEqual(r.unresolved, []);
  assert.equal(r.depends[0], 'libc6 (>= 2.34)');
  assert.deepEqual(r.resolved.slice(0, 2), [
    { soname: 'libc.so.6', package: 'libc6', source: 'symbols', dependency: 'libc6 (>= 2.34)' },
    { soname: 'libm.so.6', package: 'libc6', source: 'symbols', dependency: 'libc6 (>= 2.2.5)' },
  ]);
  // Same answers as dpkg-shlibdeps gives on bookworm for a program using these symbols.
  if (existsSync(join(HOST_INFO, 'zlib1g:amd64.symbols'))) assert.ok(r.depends.includes('zlib1g (>= 1:1.1.4)'), r.depends.join(', '));
  if (existsSync(join(HOST_INFO, 'libelf1:amd64.symbols'))) assert.ok(r.depends.includes('libelf1 (>= 0.131)'), r.depends.join(', '));

  // A GLIBC_PRIVATE symbol: the file's own alternative template replaces the (>=) clause.
  const alternative = db.symbolsFor('libc.so.6')?.library.templates[1];
  const priv = resolveShlibsDepends([need('libc.so.6', { name: '__libc_start_main', version: 'GLIBC_2.34' }, { name: '_dl_catch_error', version: 'GLIBC_PRIVATE' })], db);
  assert.ok(alternative !== undefined);
  assert.deepEqual(priv.depends, mergeDepends([alternative]));
  assert.ok(priv.depends.every((d) => /^libc6 \((>>|<<) /.test(d)), priv.depends.join(', '));
});
