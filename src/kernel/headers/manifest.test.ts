import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { PackagingFeatures } from '../features.js';
import type { KernelTree } from '../tree.js';
import { fakeKernelTree } from '../../testing/fake-tree.js';
import { headersManifest } from './manifest.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-headers-manifest-'));
after(() => rm(root, { recursive: true, force: true }));

const FEATURES: PackagingFeatures = {
  modules: true,
  modversions: false,
  moduleSig: { enabled: false, all: false, hash: undefined, key: undefined },
  objtool: false,
  debugInfo: false,
  debugInfoBtfModules: false,
  gendwarfksyms: false,
  gccPlugins: [],
  randstruct: false,
};

async function files(dir: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), path);
  }
}

/** A separate source and object tree with a few files of each kind; no kernel is built. */
async function fakeTree(name: string): Promise<KernelTree> {
  const srctree = join(root, name, 'src');
  const objtree = join(root, name, 'obj');
  await files(srctree, [
    'Makefile',
    'Kconfig',
    'arch/arm64/Makefile',
    'arch/arm64/Kconfig',
    'arch/arm64/Makefile.postlink',
    'arch/arm64/include/asm/a.h',
    'arch/arm64/kernel/x.c',
    'arch/arm64/kvm/hyp/include/hyp.h',
    'include/linux/a.h',
    'include/config/stale',
    'scripts/Makefile.build',
    'scripts/kconfig/conf.c',
    'scripts/dtc/dtc.c',
    'scripts/unifdef.c',
    'scripts/unifdef',
    'drivers/x.c',
  ]);
  await files(objtree, [
    '.config',
    'Module.symvers',
    'include/config/auto.conf',
    'include/config/kernel.release',
    'include/generated/autoconf.h',
    'arch/arm64/include/generated/asm/b.h',
    'scripts/basic/fixdep',
    'scripts/basic/.fixdep.cmd',
    'scripts/mod/modpost',
    'scripts/mod/file2alias.o',
    'scripts/mod/devicetable-offsets.s',
  ]);
  return fakeKernelTree(objtree, { srctree, separateObjtree: true });
}

test('the tree external module builds need, from both trees, without what they never use', async () => {
  const tree = await fakeTree('plain');
  const { entries } = await headersManifest(tree, FEATURES);
  assert.deepEqual(
    entries.map((e) => `${e.origin} ${e.path}`),
    [
      'objtree .config',
      'srctree Makefile',
      'objtree Module.symvers',
      'srctree arch/arm64/Makefile',
      'srctree arch/arm64/Makefile.postlink',
      'srctree arch/arm64/include/asm/a.h',
      'objtree arch/arm64/include/generated/asm/b.h',
      'srctree arch/arm64/kvm/hyp/include/hyp.h',
      'objtree include/config/auto.conf',
      'objtree include/config/kernel.release',
      'objtree include/generated/autoconf.h',
      'srctree include/linux/a.h',
      'srctree scripts/Makefile.build',
      'objtree scripts/basic/fixdep',
      'objtree scripts/mod/modpost',
      'srctree scripts/unifdef.c',
    ],
  );
});

test('what a feature needs must be there, and the error says how to get it', async () => {
  const tree = await fakeTree('objtool');
  await assert.rejects(headersManifest(tree, { ...FEATURES, objtool: true }), {
    message: `tools/objtool/objtool not found in ${tree.objtree}: the headers package needs it`,
  });
  await rm(join(tree.objtree, 'scripts/basic/fixdep'));
  await assert.rejects(
    headersManifest(tree, FEATURES),
    /scripts\/basic\/fixdep not found in .*: the kernel was not built/,
  );
});

test('a symlink out of the tree is refused', async () => {
  const tree = await fakeTree('link');
  await symlink('../../../../etc/passwd', join(tree.srctree, 'include/linux/passwd'));
  await assert.rejects(
    headersManifest(tree, FEATURES),
    /include\/linux\/passwd is a symbolic link to .*, outside the kernel tree/,
  );
});
