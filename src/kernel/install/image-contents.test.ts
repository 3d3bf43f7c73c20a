import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { archByDebian } from '../../arch/arch-table.js';
import { packagingFeatures } from '../features.js';
import type { TreeFacts } from '../inspect.js';
import { arm64GccToolchain, fakeKernelTree } from '../../testing/fake-tree.js';
import { imageContents, treeFile } from './image-contents.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-image-contents-'));
after(() => rm(root, { recursive: true, force: true }));

async function write(path: string, text: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, text);
}

test('a file of the object tree, or an error that says the build is not finished', async () => {
  await write(join(root, 'obj/System.map'), 'map');
  assert.deepEqual(await treeFile(join(root, 'obj'), 'System.map', 'the symbol map'), {
    source: join(root, 'obj/System.map'),
    size: 3,
  });
  await assert.rejects(treeFile(join(root, 'obj'), 'vmlinux', 'the kernel'), {
    message: `the kernel vmlinux is missing from ${join(root, 'obj')}`,
    hint: 'finish the kernel build (make) before packaging it',
  });
  await mkdir(join(root, 'obj/dir'));
  await assert.rejects(treeFile(join(root, 'obj'), 'dir', 'the boot image'), /the boot image dir is missing/);
});

test('the image part: the tree files, what the install steps staged, and the boot name of the architecture', async () => {
  const obj = join(root, 'tree');
  const config = new Map([['CONFIG_BLK_DEV_INITRD', 'y']]);
  await write(join(obj, 'arch/arm64/boot/Image.gz'), 'image');
  await write(join(obj, 'System.map'), 'map');
  await write(join(obj, '.config'), 'CONFIG_BLK_DEV_INITRD=y\n');
  const staged = join(root, 'staged');
  await write(join(staged, 'modules/lib/modules/6.1.0/modules.dep'), '');
  const arch = archByDebian('arm64');
  assert.ok(arch !== undefined);
  const facts: TreeFacts = {
    tree: fakeKernelTree(obj, { config }),
    arch,
    target: arch.elf,
    vmlinux: 'absent',
    toolchain: arm64GccToolchain(),
    cross: true,
    build: arch.elf,
    features: packagingFeatures(config),
    artifacts: { moduleSymvers: false, vmlinux: false, bootImage: { path: 'arch/arm64/boot/Image.gz', present: true } },
  };
  const contents = await imageContents(
    facts,
    { modules: join(staged, 'modules'), dtbs: join(staged, 'dtbs') },
    { bootImage: 'arch/arm64/boot/Image.gz' },
  );
  assert.equal(contents.release, '6.1.0');
  assert.deepEqual(contents.bootImage, {
    source: join(obj, 'arch/arm64/boot/Image.gz'),
    size: 5,
    bootName: 'vmlinuz-6.1.0',
  });
  assert.equal(contents.config.size, 24);
  assert.equal(contents.initrd, true);
  assert.deepEqual(
    contents.modules.map((m) => m.path),
    ['lib', 'lib/modules', 'lib/modules/6.1.0', 'lib/modules/6.1.0/modules.dep'],
  );
  assert.deepEqual(contents.dtbs, [], 'nothing staged by dtbs_install');
});
