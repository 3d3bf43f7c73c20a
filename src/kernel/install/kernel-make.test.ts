import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { KpkgError } from '../../util/errors.js';
import { parseKconfig } from '../kconfig.js';
import type { MakeVars } from '../make-vars.js';
import { decideTargetTools } from '../target-tools.js';
import type { Toolchain } from '../toolchain.js';
import type { KernelTree } from '../tree.js';
import { failureExcerpt, kernelMakeArgs, kernelMakeEnv, missingToolHint, runKernelMake } from './kernel-make.js';

const tree = (objtree: string, srctree: string): KernelTree => ({
  objtree,
  srctree,
  separateObjtree: objtree !== srctree,
  release: '6.12.95',
  version: [6, 12, 95],
  kernelArch: 'arm64',
  srcArch: 'arm64',
  config: parseKconfig('CONFIG_MODULES=y\n'),
});

/** A toolchain as readToolchain makes it, for the make variables given to kpkg. */
function toolchain(kind: 'gcc' | 'clang', vars: MakeVars = {}): Toolchain {
  const clang = kind === 'clang';
  const recordedCc = clang ? ['clang'] : ['aarch64-linux-gnu-gcc'];
  const clangTarget = clang ? 'aarch64-linux-gnu' : undefined;
  const tools = decideTargetTools(
    { kind, recordedCc, clangTarget, versionText: '', ldIsLld: clang, kernelVersion: [6, 12, 95] },
    vars,
  );
  return {
    kind,
    versionText: clang ? 'Debian clang version 14.0.6' : 'aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0',
    version: clang ? 140006 : 120200,
    cc: tools.cc,
    crossPrefix: tools.crossCompile,
    clangTarget,
    llvm: clang,
    hostcc: ['gcc'],
    tools,
    ccCanLink: true,
    ccSource: 'init/.main.o.cmd',
  };
}
const gcc = toolchain('gcc');
const llvm = toolchain('clang');

void describe('kernel make command line', () => {
  test('an O= build: -C srctree O=objtree, ARCH and CROSS_COMPILE from the tree facts', () => {
    assert.deepEqual(kernelMakeArgs({ tree: tree('/b', '/s'), toolchain: gcc }), [
      '-s',
      '-C',
      '/s',
      'O=/b',
      'ARCH=arm64',
      'CROSS_COMPILE=aarch64-linux-gnu-',
    ]);
  });

  test('an in-tree build has no O=, unless a scratch object tree is asked for', () => {
    assert.deepEqual(kernelMakeArgs({ tree: tree('/s', '/s'), toolchain: gcc }), [
      '-s',
      '-C',
      '/s',
      'ARCH=arm64',
      'CROSS_COMPILE=aarch64-linux-gnu-',
    ]);
    assert.deepEqual(kernelMakeArgs({ tree: tree('/s', '/s'), toolchain: gcc }, { objtree: '/tmp/x', jobs: 4 }), [
      '-s',
      '-C',
      '/s',
      'O=/tmp/x',
      'ARCH=arm64',
      'CROSS_COMPILE=aarch64-linux-gnu-',
      '-j4',
    ]);
  });

  test("an LLVM build passes LLVM=1, the user's LLVM= and HOSTCC= win", () => {
    assert.deepEqual(kernelMakeArgs({ tree: tree('/b', '/s'), toolchain: llvm }), [
      '-s',
      '-C',
      '/s',
      'O=/b',
      'ARCH=arm64',
      'CROSS_COMPILE=aarch64-linux-gnu-',
      'LLVM=1',
    ]);
    const vars = { LLVM: '/opt/llvm/bin/', HOSTCC: 'clang' };
    assert.deepEqual(kernelMakeArgs({ tree: tree('/b', '/s'), toolchain: toolchain('clang', vars), vars }), [
      '-s',
      '-C',
      '/s',
      'O=/b',
      'ARCH=arm64',
      'CROSS_COMPILE=aarch64-linux-gnu-',
      'LLVM=/opt/llvm/bin/',
      'HOSTCC=clang',
    ]);
    assert.deepEqual(kernelMakeArgs({ tree: tree('/b', '/s'), toolchain: toolchain('gcc', { CROSS_COMPILE: '' }) }), [
      '-s',
      '-C',
      '/s',
      'O=/b',
      'ARCH=arm64',
    ]);
    assert.deepEqual(
      kernelMakeArgs({
        tree: tree('/b', '/s'),
        toolchain: toolchain('gcc', { CROSS_COMPILE: '/opt/x/bin/aarch64-none-linux-gnu-' }),
      }).slice(-1),
      ['CROSS_COMPILE=/opt/x/bin/aarch64-none-linux-gnu-'],
    );
  });

  test('the environment loses what a parent make or a stray INSTALL_* would inject', () => {
    const env = kernelMakeEnv({
      PATH: '/usr/bin',
      MAKEFLAGS: '-j8 O=/elsewhere',
      MAKELEVEL: '2',
      INSTALL_MOD_PATH: '/',
      INSTALL_MOD_STRIP: '1',
      KBUILD_OUTPUT: '/x',
      HOME: '/root',
    });
    assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/root', LC_ALL: 'C' });
  });
});

void describe('runKernelMake', () => {
  test('the excerpt keeps the line naming the problem when it scrolled out of the tail', () => {
    const usage = Array.from({ length: 40 }, (_, i) => `  --option-${i}  does something`);
    const output = [
      "aarch64-linux-gnu-strip: unrecognized option '--no-such-option'",
      ...usage,
      'make: *** [Makefile:236: __sub-make] Error 2',
      '',
    ].join('\n');
    const excerpt = failureExcerpt(output, 5).split('\n');
    assert.deepEqual(excerpt.slice(0, 2), ["aarch64-linux-gnu-strip: unrecognized option '--no-such-option'", '[...]']);
    assert.equal(excerpt.length, 7);
    assert.equal(excerpt.at(-1), 'make: *** [Makefile:236: __sub-make] Error 2');
    assert.equal(failureExcerpt('one\ntwo\n', 5), 'one\ntwo');
  });

  test('a tool the install targets need and that is missing is named with its Debian package', () => {
    assert.equal(
      missingToolHint('/bin/sh: 1: rsync: not found\nmake[1]: *** [Makefile:1340: headers_install] Error 127'),
      'apt-get install rsync',
    );
    assert.equal(
      missingToolHint('sh: aarch64-linux-gnu-strip: command not found'),
      'apt-get install binutils-aarch64-linux-gnu',
    );
    assert.equal(missingToolHint('/bin/sh: 1: xz: not found'), 'apt-get install xz-utils');
    assert.equal(missingToolHint('llvm-objcopy-15: not found'), 'apt-get install llvm-15');
    assert.equal(missingToolHint('/usr/lib/llvm-16/bin/llvm-strip: not found'), 'apt-get install llvm');
    assert.equal(missingToolHint('make: *** No rule to make target'), undefined);
  });

  test('returns stdout; a failure is a KpkgError with the command and the tail of its output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kpkg-make-'));
    await writeFile(
      join(dir, 'Makefile'),
      'hello:\n\t@echo "hello $(ARCH)"\nfail:\n\t@for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do echo line$$i; done\n\t@echo "boom: no rule" >&2; exit 3\n',
    );
    const ctx = { tree: tree(dir, dir), toolchain: gcc };
    assert.equal((await runKernelMake(ctx, ['hello'])).trim(), 'hello arm64');
    const commands: string[] = [];
    await assert.rejects(runKernelMake({ ...ctx, onCommand: (c) => commands.push(c) }, ['fail']), (e: unknown) => {
      assert.ok(e instanceof KpkgError);
      assert.match(
        e.message,
        /^kernel make failed \(exit 2\): make -s -C \S+ ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- fail\n/,
      );
      assert.match(e.message, /boom: no rule/);
      assert.doesNotMatch(e.message, /line5\n/, 'only the tail is shown');
      assert.equal(e.where, dir);
      return true;
    });
    assert.equal(commands.length, 1);
  });
});
