import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { PluginCompiler } from '../../kernel/headers/gcc-plugins.js';
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
