import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runtimeNeedsOf } from '../elf/needs.js';
import { archDepends } from './pacman/depends.js';
import { compilerDepends } from './deb/runtime.js';
import { rpmRequires } from './rpm/requires.js';

const needs = runtimeNeedsOf([
  {
    path: 'scripts/sign-file',
    info: {
      needed: ['libcrypto.so.3', 'libc.so.6'],
      elfClass: 64,
      imports: [
        { name: 'EVP_PKEY_free', version: 'OPENSSL_3.0.0', library: 'libcrypto.so.3', weak: false },
        { name: '__libc_start_main', version: 'GLIBC_2.34', library: 'libc.so.6', weak: false },
        { name: '__gmon_start__', weak: true },
      ],
    },
  },
  {
    path: 'tools/objtool/objtool',
    info: {
      needed: ['libelf.so.1', 'libc.so.6'],
      elfClass: 64,
      imports: [{ name: 'elf_begin', version: 'ELFUTILS_1.0', library: 'libelf.so.1', weak: false }],
    },
  },
  { path: 'scripts/mod/modpost.o', info: undefined },
]);

test('the needs of several files: per soname, versioned imports where their version node says, sorted', () => {
  assert.deepEqual(
    needs.libraries.map((l) => l.soname),
    ['libc.so.6', 'libcrypto.so.3', 'libelf.so.1'],
  );
  assert.deepEqual(
    needs.libraries.find((l) => l.soname === 'libelf.so.1')?.imports.map((i) => i.name),
    ['elf_begin'],
  );
  // The unversioned weak import may come from any library sign-file needs.
  assert.ok(
    needs.libraries.find((l) => l.soname === 'libcrypto.so.3')?.imports.some((i) => i.name === '__gmon_start__'),
  );
  assert.deepEqual(
    needs.files.map((f) => f.path),
    ['scripts/sign-file', 'tools/objtool/objtool'],
  );
  assert.equal(needs.elfClass, 64);
});

test('RPM: soname requires as elfdeps writes them', () => {
  assert.deepEqual(
    rpmRequires(needs).map((r) => r.name),
    [
      'libc.so.6()(64bit)',
      'libc.so.6(GLIBC_2.34)(64bit)',
      'libcrypto.so.3()(64bit)',
      'libcrypto.so.3(OPENSSL_3.0.0)(64bit)',
      'libelf.so.1()(64bit)',
      'libelf.so.1(ELFUTILS_1.0)(64bit)',
    ],
  );
  assert.deepEqual(rpmRequires({ ...needs, elfClass: 32 }).map((r) => r.name)[0], 'libc.so.6()');
});

test('Arch: package names; the dynamic loader is glibc; unknown sonames are reported', () => {
  assert.deepEqual(archDepends(needs), {
    depends: [{ name: 'glibc' }, { name: 'libelf' }, { name: 'openssl' }],
    unknown: [],
  });
  const more = runtimeNeedsOf([
    { path: 'x', info: { needed: ['ld-linux-aarch64.so.1', 'libfoo.so.2'], elfClass: 64, imports: [] } },
  ]);
  assert.deepEqual(archDepends(more), { depends: [{ name: 'glibc' }], unknown: ['libfoo.so.2'] });
});

test('Debian: the exact compiler pin', () => {
  const compiler = {
    major: 12,
    basever: '12.2.0',
    datestamp: '20220819',
    pkgversion: 'Debian 12.2.0-14+deb12u1',
    configure: '',
  };
  assert.deepEqual(compilerDepends(compiler), [
    { name: 'gcc-12', version: { op: '=', version: '12.2.0-14+deb12u1' } },
    { name: 'cpp-12', version: { op: '=', version: '12.2.0-14+deb12u1' } },
  ]);
  assert.deepEqual(compilerDepends({ ...compiler, pkgversion: undefined }), []);
});
