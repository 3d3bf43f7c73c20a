import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { execa } from 'execa';
import {
  COMPILER_DEFAULT_MAKEFILE,
  compilerDefaultMakefile,
  kernelCompiler,
  releaseVersion,
  type KernelCompiler,
} from './compiler.js';
import { parseKconfig } from './kconfig.js';

const root = await mkdtemp(join(tmpdir(), 'kpkg-compiler-'));
after(() => rm(root, { recursive: true, force: true }));

const CLANG_14: KernelCompiler = {
  kind: 'clang',
  major: 14,
  versionText: 'Debian clang version 14.0.6',
  llvm: true,
  llvmSuffixes: true,
};

test('the compiler a configuration records: kind, major, LLVM= build, whether LLVM= takes a suffix', () => {
  const gcc = parseKconfig(
    'CONFIG_CC_VERSION_TEXT="aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0"\nCONFIG_CC_IS_GCC=y\nCONFIG_GCC_VERSION=120200\n',
  );
  assert.deepEqual(kernelCompiler(gcc, [6, 1, 192]), {
    kind: 'gcc',
    major: 12,
    versionText: 'aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0',
    llvm: false,
    llvmSuffixes: true,
  });
  const clang = parseKconfig(
    'CONFIG_CC_VERSION_TEXT="Debian clang version 14.0.6"\nCONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=140006\nCONFIG_LD_IS_LLD=y\n',
  );
  assert.deepEqual(kernelCompiler(clang, [6, 12, 95]), CLANG_14);
  assert.equal(kernelCompiler(clang, [5, 17, 0])?.llvmSuffixes, false);
  assert.equal(kernelCompiler(clang, [5, 18, 0])?.llvmSuffixes, true);
  // clang with GNU ld (CC=clang without LLVM=): not an LLVM= build.
  assert.equal(
    kernelCompiler(parseKconfig('CONFIG_CC_IS_CLANG=y\nCONFIG_CLANG_VERSION=190107\n'), [6, 12])?.llvm,
    false,
  );
  // Nothing recorded (before 4.18), or no version: no compiler to name.
  assert.equal(kernelCompiler(parseKconfig('CONFIG_MODULES=y\n'), [4, 14]), undefined);
  assert.equal(kernelCompiler(parseKconfig('CONFIG_CC_IS_GCC=y\n'), [6, 1]), undefined);
});

test('releaseVersion: the numbers a release starts with', () => {
  assert.deepEqual(releaseVersion('6.12.95'), [6, 12, 95]);
  assert.deepEqual(releaseVersion('6.1.0-47-arm64'), [6, 1, 0]);
  assert.deepEqual(releaseVersion('6.12-rc1'), [6, 12, 0]);
  assert.deepEqual(releaseVersion('custom'), []);
});

/**
 * A headers directory whose Makefile stands for the kernel's top Makefile: it assigns CC itself, reports
 * LLVM, and runs itself again with -f, as the top Makefile does for M= builds in another directory (6.13+).
 */
async function headersDir(withDefault: boolean): Promise<string> {
  const dir = await mkdtemp(join(root, 'build-'));
  await writeFile(
    join(dir, 'Makefile'),
    [
      'CC = $(CROSS_COMPILE)gcc',
      'all:',
      '\t@echo "top LLVM=$(LLVM) CC=$(CC)"',
      '\t@$(MAKE) --no-print-directory -f $(CURDIR)/Makefile sub',
      'sub:',
      '\t@echo "sub LLVM=$(LLVM)"',
      '',
    ].join('\n'),
  );
  if (withDefault) await writeFile(join(dir, COMPILER_DEFAULT_MAKEFILE), compilerDefaultMakefile(CLANG_14, '-14'));
  return dir;
}

async function make(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<string> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['LLVM', 'CC', 'MAKEFLAGS'].includes(k)),
  );
  const r = await execa('make', ['-C', dir, ...args], { cwd: root, env: { ...clean, ...env }, extendEnv: false });
  return r.stdout
    .split('\n')
    .filter((l) => / LLVM=/.test(l))
    .join('\n');
}

test("the GNUmakefile makes plain `make -C <build>` pick the kernel's LLVM=, also in the sub-make; the user's LLVM= wins", async () => {
  const dir = await headersDir(true);
  assert.equal(await make(dir), 'top LLVM=-14 CC=gcc\nsub LLVM=-14');
  assert.equal(await make(dir, ['LLVM=1']), 'top LLVM=1 CC=gcc\nsub LLVM=1');
  assert.equal(await make(dir, ['LLVM=']), 'top LLVM= CC=gcc\nsub LLVM=');
  // dkms 3.0.10 passes CC=clang LD=ld.lld: that CC wins, the LLVM tools stay the kernel's.
  assert.equal(await make(dir, ['CC=clang']), 'top LLVM=-14 CC=clang\nsub LLVM=-14');
  assert.equal(await make(dir, [], { LLVM: '1' }), 'top LLVM=1 CC=gcc\nsub LLVM=1');
  // Without it (today's packages, gcc-built kernels), make picks gcc: what the check above must change.
  assert.equal(await make(await headersDir(false)), 'top LLVM= CC=gcc\nsub LLVM=');
});

test('the GNUmakefile says what it is and which compiler the kernel was built with', () => {
  const text = compilerDefaultMakefile(CLANG_14, '-14');
  assert.match(
    text,
    /^# Written by kpkg\. This kernel was built with Debian clang version 14\.0\.6 and the LLVM tools:/,
  );
  assert.match(text, /\nexport LLVM := -14\n/);
  assert.match(text, /\ninclude Makefile\n$/);
});
