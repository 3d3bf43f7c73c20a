import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { archByDebian } from '../../arch/arch-table.js';
import { arm64GccToolchain, fakeKernelTree } from '../../testing/fake-tree.js';
import { rebuildInputs, type RebuildInputsRequest } from './rebuild-inputs.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-rebuild-inputs-'));
after(() => rm(root, { recursive: true, force: true }));
const objtree = join(root, 'obj');

const RECORDS: Record<string, string> = {
  'scripts/basic/.fixdep.cmd': [
    'savedcmd_scripts/basic/fixdep := gcc -O2 -o scripts/basic/fixdep scripts/basic/fixdep.c',
    'source_scripts/basic/fixdep := scripts/basic/fixdep.c',
    'deps_scripts/basic/fixdep := \\',
    '  /usr/include/stdc-predef.h \\',
    '  $(wildcard include/config/FOO) \\',
    '',
  ].join('\n'),
  'scripts/mod/.modpost.cmd':
    'savedcmd_scripts/mod/modpost := gcc -o scripts/mod/modpost scripts/mod/modpost.o ./scripts/mod/file2alias.o -lelf\n',
  'scripts/mod/.modpost.o.cmd':
    'savedcmd_scripts/mod/modpost.o := gcc -c -o scripts/mod/modpost.o scripts/mod/modpost.c\nsource_scripts/mod/modpost.o := scripts/mod/modpost.c\ndeps_scripts/mod/modpost.o := include/generated/autoconf.h\n',
};

before(async () => {
  for (const [path, text] of Object.entries(RECORDS)) {
    await mkdir(dirname(join(objtree, path)), { recursive: true });
    await writeFile(join(objtree, path), text);
  }
  await mkdir(join(root, 'fetched/.kpkg'), { recursive: true });
  await writeFile(join(root, 'fetched/.kpkg/sysroot.json'), '{}');
});

const toolchain = arm64GccToolchain();
const tree = fakeKernelTree(objtree, { srctree: join(root, 'src'), separateObjtree: true });

function request(fields: Partial<RebuildInputsRequest>): RebuildInputsRequest {
  const arch = archByDebian('arm64');
  assert.ok(arch !== undefined);
  return {
    tree,
    toolchain,
    arch,
    kbuildPrograms: [],
    toolPrograms: [],
    compilers: { c: ['ccache', 'aarch64-linux-gnu-gcc', '-O2'], cxx: ['aarch64-linux-gnu-g++'] },
    ...fields,
  };
}

test("every record replayed, the objects' records they link, and every source and dependency they list", async () => {
  const inputs = await rebuildInputs(request({ kbuildPrograms: ['scripts/basic/fixdep', './scripts/mod/modpost'] }));
  const o = (path: string): string => join(objtree, path);
  // The records' inputs (in sorted order), then the configuration and the package database.
  assert.deepEqual(inputs.files?.slice(-3), [o('.config'), o('include/config/auto.conf'), '/var/lib/dpkg/status']);
  assert.deepEqual(
    [...(inputs.files?.slice(0, -3) ?? [])].sort(),
    [
      '/usr/include/stdc-predef.h',
      o('include/config/FOO'),
      o('include/generated/autoconf.h'),
      o('scripts/basic/.fixdep.cmd'),
      o('scripts/basic/fixdep.c'),
      o('scripts/mod/.file2alias.o.cmd'),
      o('scripts/mod/.modpost.cmd'),
      o('scripts/mod/.modpost.o.cmd'),
      o('scripts/mod/modpost.c'),
    ].sort(),
  );
  assert.ok(inputs.words.includes('kbuild ./scripts/mod/modpost'));
  assert.ok(inputs.words.includes('cc ccache aarch64-linux-gnu-gcc -O2'));
  assert.deepEqual(inputs.trees, []);
  assert.deepEqual(inputs.programs, [
    'ccache',
    'aarch64-linux-gnu-gcc',
    'aarch64-linux-gnu-g++',
    'aarch64-linux-gnu-strip',
    'aarch64-linux-gnu-ld',
    'aarch64-linux-gnu-ar',
    'make',
  ]);
});

test('tools/ programs bring the tools/ directories; a sysroot counts by its manifest, else by its headers and libraries', async () => {
  const withTools = await rebuildInputs(
    request({
      toolPrograms: ['tools/objtool/objtool'],
      sysroot: '/srv/root',
      pluginIncludeDir: '/usr/lib/gcc/plugin/include',
    }),
  );
  assert.ok(withTools.trees?.includes(join(tree.srctree, 'tools/objtool')));
  assert.ok(withTools.trees?.includes('/usr/lib/gcc/plugin/include'));
  assert.deepEqual(withTools.trees?.slice(-2), ['/srv/root/usr/include', '/srv/root/usr/lib']);
  assert.ok(withTools.words.includes('sysroot /srv/root'));
  const fetched = await rebuildInputs(request({ sysroot: join(root, 'fetched') }));
  assert.deepEqual(fetched.trees, []);
  assert.equal(fetched.files?.at(-1), join(root, 'fetched/.kpkg/sysroot.json'));
});
