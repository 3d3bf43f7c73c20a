import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseKconfig } from '../kconfig.js';
import type { KernelTree } from '../tree.js';
import { elfconfigForTarget, modpostSourcesForTarget } from './modpost-byte-order.js';

// What mk_elfconfig writes for an s390x kernel on an x86-64 build machine.
const S390X_ON_X86 =
  '#define KERNEL_ELFCLASS ELFCLASS64\n#define KERNEL_ELFDATA ELFDATA2MSB\n#define HOST_ELFCLASS ELFCLASS64\n#define HOST_ELFDATA ELFDATA2LSB\n';
const s390x = { machine: 22, class: 64, endian: 'big' } as const;
const arm64 = { machine: 183, class: 64, endian: 'little' } as const;

test("elfconfig.h for the target: HOST_ says the target's class and byte order; 6.12's (no HOST_ELFDATA) and agreeing ones stay", () => {
  assert.equal(
    elfconfigForTarget(S390X_ON_X86, s390x),
    '#define KERNEL_ELFCLASS ELFCLASS64\n#define KERNEL_ELFDATA ELFDATA2MSB\n#define HOST_ELFCLASS ELFCLASS64\n#define HOST_ELFDATA ELFDATA2MSB\n',
  );
  assert.equal(
    elfconfigForTarget(
      '#define KERNEL_ELFCLASS ELFCLASS64\n#define KERNEL_ELFDATA ELFDATA2LSB\n#define HOST_ELFCLASS ELFCLASS64\n#define HOST_ELFDATA ELFDATA2LSB\n',
      arm64,
    ),
    undefined,
  );
  assert.equal(
    elfconfigForTarget('#define KERNEL_ELFCLASS ELFCLASS64\n#define KERNEL_ELFDATA ELFDATA2MSB\n', s390x),
    undefined,
  );
});

test('the scripts/mod compiles of a big-endian target read copies of the sources beside the target elfconfig.h; the tree is untouched', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kpkg-modpost-'));
  try {
    const srctree = join(dir, 'src');
    const objtree = join(dir, 'obj');
    await mkdir(join(srctree, 'scripts/mod'), { recursive: true });
    await mkdir(join(srctree, 'include/linux'), { recursive: true });
    await mkdir(join(objtree, 'scripts/mod'), { recursive: true });
    await writeFile(join(srctree, 'scripts/mod/modpost.c'), '#include "modpost.h"\n');
    await writeFile(join(srctree, 'scripts/mod/modpost.h'), '#include "elfconfig.h"\n');
    await writeFile(join(srctree, 'scripts/mod/Makefile'), 'not copied\n');
    await writeFile(join(objtree, 'scripts/mod/elfconfig.h'), S390X_ON_X86);
    const tree: KernelTree = {
      objtree,
      srctree,
      separateObjtree: true,
      release: '6.1.0',
      version: [6, 1, 0],
      kernelArch: 's390',
      srcArch: 's390',
      config: parseKconfig(''),
    };
    const work = join(dir, 'work');
    await mkdir(work);

    assert.equal(
      await modpostSourcesForTarget(tree, { machine: 22, class: 64, endian: 'little' }, work),
      undefined,
      'an agreeing elfconfig.h needs nothing',
    );
    const sourceFor = await modpostSourcesForTarget(tree, s390x, work);
    assert.ok(sourceFor !== undefined);
    const copy = join(work, 'modpost-sources');
    assert.equal(sourceFor(join(srctree, 'scripts/mod/modpost.c')), join(copy, 'scripts/mod/modpost.c'));
    assert.equal(
      sourceFor('../src/scripts/mod/modpost.c'),
      join(copy, 'scripts/mod/modpost.c'),
      'relative to the object tree',
    );
    for (const other of [
      '-Iscripts/mod',
      join(srctree, 'scripts/basic/fixdep.c'),
      join(srctree, 'scripts/mod/sub/x.c'),
      'scripts/mod/modpost.o',
    ])
      assert.equal(sourceFor(other), undefined, other);
    assert.match(await readFile(join(copy, 'scripts/mod/elfconfig.h'), 'utf8'), /HOST_ELFDATA ELFDATA2MSB/);
    assert.equal(await readFile(join(copy, 'scripts/mod/modpost.h'), 'utf8'), '#include "elfconfig.h"\n');
    await assert.rejects(readFile(join(copy, 'scripts/mod/Makefile')));
    assert.equal(await readlink(join(copy, 'include')), join(srctree, 'include'));
    assert.equal(
      await readFile(join(objtree, 'scripts/mod/elfconfig.h'), 'utf8'),
      S390X_ON_X86,
      'the tree is only read',
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
