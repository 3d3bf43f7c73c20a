import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import { ShlibsDatabase } from './database.js';

const LIBC6_SYMBOLS = `libc.so.6 libc6 #MINVER#
 __libc_start_main@GLIBC_2.34 2.34
libm.so.6 libc6 #MINVER#
 sin@GLIBC_2.17 2.17
`;
const LIBC6_SHLIBS = 'libc 6 libc6 (>= 2.36)\nlibm 6 libc6 (>= 2.36)\n';
const LIBGMP_SHLIBS = 'libgmp 10 libgmp10 (>= 2:6.2.1+dfsg1)\n';

async function writePackage(
  root: string,
  name: string,
  files: { control?: string; shlibs?: string; symbols?: string },
): Promise<void> {
  const dir = join(root, '.kpkg/control', name);
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
}

function control(name: string, arch: string): string {
  return `Package: ${name}\nVersion: 1\nArchitecture: ${arch}\nDescription: test\n`;
}

describe("a target sysroot's control directories", () => {
  let root = '';

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'kpkg-shlibs-'));
    await writePackage(root, 'libc6', {
      control: control('libc6', 'arm64'),
      symbols: LIBC6_SYMBOLS,
      shlibs: LIBC6_SHLIBS,
    });
    await writePackage(root, 'libgmp10', { control: control('libgmp10', 'arm64'), shlibs: LIBGMP_SHLIBS });
    await writePackage(root, 'libelf-dev', { control: control('libelf-dev', 'arm64') });
    await writePackage(root, 'libnocontrol1', { shlibs: 'libnocontrol 1 libnocontrol1\n' });
    // The build machine's C library, which must not count for an arm64 target.
    await writePackage(root, 'libc6-amd64', {
      control: control('libc6', 'amd64'),
      symbols: LIBC6_SYMBOLS,
      shlibs: LIBC6_SHLIBS,
    });
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('only packages of the target architecture with shlibs or symbols are read', async () => {
    const database = await ShlibsDatabase.fromControlDirs(root, { architecture: 'arm64' });
    assert.deepEqual(
      database.packages.map((p) => p.name),
      ['libc6', 'libgmp10'],
    );
    assert.equal(database.packages.find((p) => p.name === 'libc6')?.where, join(root, '.kpkg/control/libc6/symbols'));
    assert.equal(
      database.packages.find((p) => p.name === 'libgmp10')?.where,
      join(root, '.kpkg/control/libgmp10/shlibs'),
    );
    assert.equal(database.where, join(root, '.kpkg/control'));
  });

  test('which package declares a soname: its symbols file, else its shlibs file', async () => {
    const database = await ShlibsDatabase.fromControlDirs(root, { architecture: 'arm64' });
    assert.equal(database.symbolsFor('libm.so.6')?.library.templates[0], 'libc6 #MINVER#');
    assert.equal(database.symbolsFor('libgmp.so.10'), undefined);
    assert.equal(database.shlibsFor('libgmp.so.10')?.dependency, 'libgmp10 (>= 2:6.2.1+dfsg1)');
    assert.equal(database.packageOf('libc.so.6'), 'libc6');
    assert.equal(database.packageOf('libgmp.so.10'), 'libgmp10');
    assert.equal(database.packageOf('libunknown.so.3'), undefined);
  });

  test('without an architecture filter two packages declaring one soname is an error, not a guess', async () => {
    const all = await ShlibsDatabase.fromControlDirs(root);
    assert.equal(all.packageOf('libnocontrol.so.1'), 'libnocontrol1');
    assert.throws(
      () => all.symbolsFor('libc.so.6'),
      (e: unknown) =>
        e instanceof KpkgError &&
        /symbols files of more than one package: libc6, libc6-amd64|libc6-amd64, libc6/.test(e.message),
    );
    assert.throws(
      () => all.shlibsFor('libc.so.6'),
      (e: unknown) => e instanceof KpkgError && /shlibs files/.test(e.message) && e.where === all.where,
    );
  });

  test('a root without control directories is an error with a hint', async () => {
    await assert.rejects(
      ShlibsDatabase.fromControlDirs(join(root, 'nothing')),
      (e: unknown) => e instanceof KpkgError && e.hint !== undefined,
    );
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
    await writeFile(join(info, 'libgmp10:arm64.shlibs'), LIBGMP_SHLIBS);
    // Not Multi-Arch: same: no architecture in the name.
    await writeFile(
      join(info, 'libapt-pkg6.0.symbols'),
      'libapt-pkg.so.6.0 libapt-pkg6.0 (>= 2.6)\n a@APTPKG_6.0 2.6\n',
    );
    // A cross-toolchain package (Architecture: all) that declares the same libgmp soname.
    await writeFile(join(info, 'libgmp10-arm64-cross.shlibs'), 'libgmp 10 libgmp10-arm64-cross (>= 6)\n');
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('reads <package>:<arch> files of the asked architecture only', async () => {
    const db = await ShlibsDatabase.fromDpkgInfo(root, 'arm64');
    assert.deepEqual(db.packages.map((p) => p.name).sort(), ['libc6', 'libgmp10']);
    assert.ok(db.packages.every((p) => p.qualified));
    assert.equal(db.symbolsFor('libc.so.6')?.library.symbols.get('__libc_start_main@GLIBC_2.34')?.minVersion, '2.34');
    assert.equal(db.packageOf('libapt-pkg.so.6.0'), undefined);
  });

  test('unqualified names only when asked; a qualified package wins a tie with them', async () => {
    const db = await ShlibsDatabase.fromDpkgInfo(root, 'arm64', { unqualified: true });
    assert.deepEqual(db.packages.map((p) => p.name).sort(), [
      'libapt-pkg6.0',
      'libc6',
      'libgmp10',
      'libgmp10-arm64-cross',
    ]);
    assert.equal(db.shlibsFor('libgmp.so.10')?.package.name, 'libgmp10');
    assert.equal(db.packageOf('libapt-pkg.so.6.0'), 'libapt-pkg6.0');
  });

  test('a root without a dpkg database is an error with a hint', async () => {
    await assert.rejects(
      ShlibsDatabase.fromDpkgInfo(join(root, 'nothing'), 'arm64'),
      (e: unknown) => e instanceof KpkgError && /pass the root/.test(e.hint ?? ''),
    );
  });
});
