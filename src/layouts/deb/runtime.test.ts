import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { KernelCompiler } from '../../kernel/compiler.js';
import type { PluginCompiler } from '../../kernel/headers/gcc-plugins.js';
import type { TargetPackageRoots } from '../../sysroot/target-roots.js';
import { compilerDepends, debianRuntimeRelations } from './runtime.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-deb-runtime-'));
after(() => rm(root, { recursive: true, force: true }));

const DEBIAN_GCC: PluginCompiler = {
  major: 12,
  basever: '12.2.0',
  datestamp: '20220819',
  pkgversion: 'Debian 12.2.0-14+deb12u1',
  configure: '',
};
const NO_NEEDS = { libraries: [], files: [] };

test('GCC plugins pin gcc-N and cpp-N of the exact Debian build; another build cannot be named', () => {
  assert.deepEqual(compilerDepends(DEBIAN_GCC), [
    { name: 'gcc-12', version: { op: '=', version: '12.2.0-14+deb12u1' } },
    { name: 'cpp-12', version: { op: '=', version: '12.2.0-14+deb12u1' } },
  ]);
  assert.deepEqual(compilerDepends({ ...DEBIAN_GCC, pkgversion: undefined }), []);
});

test("the libraries' packages come from the target root's shlibs; an unknown soname is guessed, with a warning", async () => {
  const info = join(root, 'target/var/lib/dpkg/info');
  await mkdir(info, { recursive: true });
  await writeFile(join(info, 'libelf1:arm64.shlibs'), 'libelf 1 libelf1 (>= 0.144)\n');
  const needs = {
    elfClass: 64 as const,
    libraries: [
      { soname: 'libelf.so.1', imports: [] },
      { soname: 'libfoo.so.2', imports: [] },
    ],
    files: [{ path: '/usr/src/h/tools/objtool/objtool', needed: ['libelf.so.1', 'libfoo.so.2'] }],
  };
  const relations = await debianRuntimeRelations(
    { needs, pluginCompiler: { ...DEBIAN_GCC, pkgversion: 'GCC built here' } },
    { debianArch: 'arm64', known: [{ path: join(root, 'target'), kind: 'debian-root' }] },
  );
  assert.deepEqual(relations.depends, [
    { name: 'libelf1', version: { op: '>=', version: '0.144' } },
    { name: 'libfoo2' },
  ]);
  assert.equal(relations.warnings.length, 2);
  assert.match(
    relations.warnings[0] ?? '',
    /no shlibs or symbols file of the arm64 packages declares libfoo\.so\.2: assumed it comes from libfoo2/,
  );
  assert.match(relations.warnings[1] ?? '', /the GCC plugins' compiler \(GCC built here\) is not a Debian build/);
});

test('nothing needed, nothing read: only the compiler pin', async () => {
  const relations = await debianRuntimeRelations(
    { needs: NO_NEEDS, pluginCompiler: DEBIAN_GCC },
    { debianArch: 'arm64', known: [{ path: join(root, 'missing'), kind: 'debian-root' }] },
  );
  assert.deepEqual(relations, { depends: compilerDepends(DEBIAN_GCC), warnings: [] });
});

const GCC_12: KernelCompiler = {
  kind: 'gcc',
  major: 12,
  versionText: 'aarch64-linux-gnu-gcc (Debian 12.2.0-14+deb12u1) 12.2.0',
  llvm: false,
  llvmSuffixes: true,
};
const CLANG_14: KernelCompiler = {
  kind: 'clang',
  major: 14,
  versionText: 'Debian clang version 14.0.6',
  llvm: true,
  llvmSuffixes: true,
};

/** A target release whose lists carry `names` (what kpkg's private apt would answer). */
function release(names: readonly string[]): TargetPackageRoots['release'] {
  return () =>
    Promise.resolve({
      suite: 'bookworm',
      packageNames: (prefix: string) => Promise.resolve(names.filter((n) => n.startsWith(prefix)).sort()),
    });
}

test("the kernel's compiler: gcc-N and the gcc that make calls; clang, lld and llvm of the major for an LLVM= build", async () => {
  const none = { debianArch: 'arm64', known: [] };
  assert.deepEqual((await debianRuntimeRelations({ needs: NO_NEEDS, compiler: GCC_12 }, none)).depends, [
    { name: 'gcc-12' },
    { name: 'gcc' },
  ]);
  // And the plain clang and lld, which dkms 3.0.10 names itself (CC=clang LD=ld.lld).
  assert.deepEqual((await debianRuntimeRelations({ needs: NO_NEEDS, compiler: CLANG_14 }, none)).depends, [
    { name: 'clang-14' },
    { name: 'lld-14' },
    { name: 'llvm-14' },
    { name: 'clang' },
    { name: 'lld' },
  ]);
  // Before 5.18 LLVM= selects the plain names only: the default-version packages come too.
  const old = await debianRuntimeRelations({ needs: NO_NEEDS, compiler: { ...CLANG_14, llvmSuffixes: false } }, none);
  assert.deepEqual(
    old.depends.map((d) => (Array.isArray(d) ? '' : (d as { name: string }).name)),
    ['clang-14', 'lld-14', 'llvm-14', 'clang', 'lld', 'llvm'],
  );
  // With GCC plugins the exact build's gcc-12 (= …) stands for gcc-12.
  const plugins = await debianRuntimeRelations({ needs: NO_NEEDS, compiler: GCC_12, pluginCompiler: DEBIAN_GCC }, none);
  assert.deepEqual(plugins.depends, [{ name: 'gcc' }, ...compilerDepends(DEBIAN_GCC)]);
});

test('a compiler the target release does not carry is a warning naming the nearest one; one it carries is not', async () => {
  const carries = await debianRuntimeRelations(
    { needs: NO_NEEDS, compiler: CLANG_14 },
    { debianArch: 'arm64', known: [], release: release(['clang-13', 'clang-14', 'clang-15', 'clang-format']) },
  );
  assert.deepEqual(carries.warnings, []);
  const lacks = await debianRuntimeRelations(
    { needs: NO_NEEDS, compiler: { ...CLANG_14, major: 19 } },
    { debianArch: 'arm64', known: [], release: release(['clang-14', 'clang-15', 'clang-16', 'clang-tidy']) },
  );
  assert.equal(lacks.warnings.length, 1);
  assert.match(
    lacks.warnings[0] ?? '',
    /^bookworm has no clang-19 for arm64, the compiler the kernel was built with \(Debian clang version 14\.0\.6\); its nearest is clang-16: .*compiler differs.*--target-suite/,
  );
  const plugins = await debianRuntimeRelations(
    { needs: NO_NEEDS, compiler: { ...GCC_12, major: 14 }, pluginCompiler: DEBIAN_GCC },
    { debianArch: 'arm64', known: [], release: release(['gcc-11', 'gcc-12']) },
  );
  assert.match(
    plugins.warnings[0] ?? '',
    /has no gcc-14 .*its nearest is gcc-12: .*GCC plugins load into no other gcc/,
  );
});
