import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeKernelTree } from '../testing/fake-tree.js';
import { parseKconfig } from './kconfig.js';
import { crossPrefixOf } from './target-tools.js';
import { readToolchain } from './toolchain.js';
import type { KernelTree } from './tree.js';

test('crossPrefixOf takes the prefix off gcc and clang names', () => {
  assert.equal(crossPrefixOf('aarch64-linux-gnu-gcc'), 'aarch64-linux-gnu-');
  assert.equal(crossPrefixOf('aarch64-linux-gnu-gcc-12'), 'aarch64-linux-gnu-');
  assert.equal(crossPrefixOf('/opt/x/bin/arm-linux-gnueabihf-gcc'), '/opt/x/bin/arm-linux-gnueabihf-');
  assert.equal(crossPrefixOf('gcc'), '');
  assert.equal(crossPrefixOf('gcc-12'), '');
  assert.equal(crossPrefixOf('clang'), '');
});

async function fakeTree(config: string, cmds: Record<string, string>): Promise<KernelTree> {
  const objtree = await mkdtemp(join(tmpdir(), 'kpkg-toolchain-'));
  for (const [file, text] of Object.entries(cmds)) {
    await mkdir(join(objtree, file, '..'), { recursive: true });
    await writeFile(join(objtree, file), text);
  }
  return fakeKernelTree(objtree, { config: parseKconfig(config) });
}

test("CC= given to kpkg wins over the recorded command, as on make's command line", async () => {
  const tree = await fakeTree('CONFIG_CC_IS_GCC=y\n', {
    'init/.main.o.cmd': 'cmd_init/main.o := aarch64-linux-gnu-gcc -c -o init/main.o init/main.c\n',
  });
  assert.deepEqual((await readToolchain(tree, { CC: 'ccache aarch64-linux-gnu-gcc' })).cc, [
    'ccache',
    'aarch64-linux-gnu-gcc',
  ]);
});

test('reads CC with its wrapper from the recorded compile command', async () => {
  const tree = await fakeTree(
    'CONFIG_CC_IS_GCC=y\nCONFIG_GCC_VERSION=120200\nCONFIG_CC_VERSION_TEXT=aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0\nCONFIG_CC_CAN_LINK=y\n',
    {
      'init/.main.o.cmd':
        'cmd_init/main.o := ccache aarch64-linux-gnu-gcc -Wp,-MMD,init/.main.o.d -nostdinc -c -o init/main.o init/main.c\n\nsource_init/main.o := init/main.c\n',
      'scripts/basic/.fixdep.cmd':
        'cmd_scripts/basic/fixdep := gcc -Wp,-MMD,scripts/basic/.fixdep.d -o scripts/basic/fixdep scripts/basic/fixdep.c\n',
    },
  );
  const tc = await readToolchain(tree);
  assert.deepEqual(tc.cc, ['ccache', 'aarch64-linux-gnu-gcc']);
  assert.equal(tc.kind, 'gcc');
  assert.equal(tc.version, 120200);
  assert.equal(tc.crossPrefix, 'aarch64-linux-gnu-');
  assert.deepEqual(tc.hostcc, ['gcc']);
  assert.equal(tc.ccCanLink, true);
  assert.equal(tc.ccSource, 'init/.main.o.cmd');
});

test('clang: the target comes from --target= in the recorded command (6.12 writes savedcmd_)', async () => {
  const tree = await fakeTree(
    'CONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=140006\nCONFIG_LD_IS_LLD=y\nCONFIG_CC_VERSION_TEXT=Debian clang version 14.0.6\n',
    {
      'init/.main.o.cmd':
        'savedcmd_init/main.o := clang -Wp,-MMD,init/.main.o.d -nostdinc --target=aarch64-linux-gnu -fintegrated-as -c -o init/main.o init/main.c\n',
    },
  );
  const tc = await readToolchain(tree);
  assert.deepEqual(tc.cc, ['clang']);
  assert.equal(tc.clangTarget, 'aarch64-linux-gnu');
  assert.equal(tc.crossPrefix, 'aarch64-linux-gnu-');
  assert.equal(tc.llvm, true);
  assert.equal(tc.ccCanLink, false);
});

test('without recorded commands, CC comes from the variables, then the config', async () => {
  const tree = await fakeTree(
    'CONFIG_CC_IS_GCC=y\nCONFIG_CC_VERSION_TEXT=riscv64-linux-gnu-gcc (Debian 12.2.0-13) 12.2.0\n',
    {},
  );
  assert.deepEqual((await readToolchain(tree, { CC: 'ccache riscv64-linux-gnu-gcc' })).cc, [
    'ccache',
    'riscv64-linux-gnu-gcc',
  ]);
  const withOption = await readToolchain(tree, { CC: 'riscv64-linux-gnu-gcc --sysroot=/x' });
  assert.deepEqual(withOption.cc, ['riscv64-linux-gnu-gcc', '--sysroot=/x']);
  assert.equal(withOption.crossPrefix, 'riscv64-linux-gnu-');
  const fromConfig = await readToolchain(tree);
  assert.deepEqual(fromConfig.cc, ['riscv64-linux-gnu-gcc']);
  assert.equal(fromConfig.crossPrefix, 'riscv64-linux-gnu-');
  assert.equal(fromConfig.ccSource, 'config');
});
