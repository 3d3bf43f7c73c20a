import assert from 'node:assert/strict';
import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { KpkgError } from '../util/errors.js';
import { openKernelTree } from './tree.js';

/** A minimal synthetic tree: just the files openKernelTree reads. The real trees are tested in src/cli/commands/inspect.integration.test.ts. */
async function write(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

const SOURCE = {
  Makefile: 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION =\n',
  Kconfig: 'mainmenu "Linux/$(ARCH) $(KERNELVERSION) Kernel Configuration"\n',
};
const DOT_CONFIG = '#\n# Linux/arm64 6.1.192 Kernel Configuration\n#\nCONFIG_MODULES=y\n';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kpkg-tree-'));
}

async function openError(buildDir: string, sourceDir?: string): Promise<KpkgError> {
  try {
    await openKernelTree({ buildDir, sourceDir });
  } catch (e) {
    assert.ok(e instanceof KpkgError, `expected a KpkgError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected openKernelTree to fail');
}

test('a directory that is not a kernel tree', async () => {
  const e = await openError(await tmp());
  assert.match(e.message, /is not a Linux kernel tree/);
  assert.match(e.hint ?? '', /--build-dir/);
});

test('a missing build directory', async () => {
  const e = await openError('/nonexistent/kpkg-tree');
  assert.match(e.message, /does not exist/);
});

test('an unconfigured source tree names .config and the configure command', async () => {
  const src = await tmp();
  await write(src, SOURCE);
  const e = await openError(src);
  assert.match(e.message, /\.config not found in .*: this tree is not configured/);
  assert.match(e.hint ?? '', /defconfig/);
});

test('a configured but unbuilt tree names kernel.release and the build command', async () => {
  const src = await tmp();
  await write(src, { ...SOURCE, '.config': DOT_CONFIG });
  const e = await openError(src);
  assert.match(e.message, /include\/config\/kernel\.release not found .*configured but not built/);
  assert.match(e.hint ?? '', /make -C .* ARCH=arm64 -j/);
});

test('an O= tree finds its source through the source link', async () => {
  const src = await tmp();
  const obj = await tmp();
  await write(src, SOURCE);
  await write(obj, {
    '.config': DOT_CONFIG,
    'include/config/kernel.release': '6.1.192\n',
    'include/config/auto.conf': 'CONFIG_MODULES=y\n',
  });
  await symlink(src, join(obj, 'source'));
  const tree = await openKernelTree({ buildDir: obj });
  assert.equal(tree.srctree, src);
  assert.equal(tree.separateObjtree, true);
  assert.equal(tree.release, '6.1.192');
  assert.deepEqual(tree.version, [6, 1, 192]);
  assert.equal(tree.kernelArch, 'arm64');
  assert.equal(tree.config.get('CONFIG_MODULES'), 'y');
});

test('an O= tree without the link finds its source from the generated Makefile', async () => {
  const src = await tmp();
  const obj = await tmp();
  await write(src, SOURCE);
  await write(obj, {
    Makefile: `# Automatically generated: don't edit\ninclude ${src}/Makefile\n`,
    '.config': DOT_CONFIG,
    'include/config/kernel.release': '6.1.192\n',
    'include/config/auto.conf': '',
  });
  assert.equal((await openKernelTree({ buildDir: obj })).srctree, src);
});

test('ARCH= that contradicts the tree is refused', async () => {
  const src = await tmp();
  await write(src, {
    ...SOURCE,
    '.config': DOT_CONFIG,
    'include/config/kernel.release': '6.1.192\n',
    'include/config/auto.conf': '',
  });
  await assert.rejects(
    openKernelTree({ buildDir: src, vars: { ARCH: 'riscv' } }),
    /ARCH=riscv does not match the tree, which is configured for arm64/,
  );
});

test('an explicit --source-dir that is not a kernel source', async () => {
  const obj = await tmp();
  const e = await openError(obj, await tmp());
  assert.match(e.message, /is not a Linux kernel source tree/);
});

test('a build directory of another version than its sources is refused; a local version is not another version', async () => {
  const src = await tmp();
  const obj = await tmp();
  await write(src, SOURCE);
  await write(obj, {
    '.config': DOT_CONFIG,
    'include/config/kernel.release': '6.1.19\n',
    'include/config/auto.conf': '',
  });
  const e = await openError(obj, src);
  assert.match(e.message, /was built as Linux 6\.1\.19, but the source tree .* is Linux 6\.1\.192/);
  assert.match(e.hint ?? '', /--source-dir/);
  await write(obj, { 'include/config/kernel.release': '6.1.192-kpkg+\n' });
  assert.equal((await openKernelTree({ buildDir: obj, sourceDir: src })).release, '6.1.192-kpkg+');
});
