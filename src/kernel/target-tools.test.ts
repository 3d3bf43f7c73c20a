import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findArch } from '../arch/arch-table.js';
import type { MakeVars } from './make-vars.js';
import {
  crossPrefixOf,
  cxxCommand,
  decideTargetTools,
  llvmValueOfCompiler,
  readLlvmSetting,
  targetCompilers,
  type TargetToolFacts,
  type TargetTools,
} from './target-tools.js';
import type { Toolchain } from './toolchain.js';

const GCC: TargetToolFacts = {
  kind: 'gcc',
  recordedCc: ['aarch64-linux-gnu-gcc'],
  clangTarget: undefined,
  versionText: 'aarch64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0',
  ldIsLld: false,
  kernelVersion: [6, 12, 95],
};
const CLANG: TargetToolFacts = {
  kind: 'clang',
  recordedCc: ['clang'],
  clangTarget: 'aarch64-linux-gnu',
  versionText: 'Debian clang version 14.0.6',
  ldIsLld: true,
  kernelVersion: [6, 12, 95],
};

function binutils(t: TargetTools): string[] {
  return [t.ld, t.ar, t.objcopy, t.strip];
}

test('CROSS_COMPILE: GNU binutils with the prefix of the recorded gcc, or the one given', () => {
  const t = decideTargetTools(GCC);
  assert.equal(t.llvm, undefined);
  assert.deepEqual([t.cc, t.cxx], [['aarch64-linux-gnu-gcc'], ['aarch64-linux-gnu-g++']]);
  assert.deepEqual(binutils(t), [
    'aarch64-linux-gnu-ld',
    'aarch64-linux-gnu-ar',
    'aarch64-linux-gnu-objcopy',
    'aarch64-linux-gnu-strip',
  ]);
  const given = decideTargetTools(
    { ...GCC, recordedCc: undefined },
    { CROSS_COMPILE: '/opt/x/bin/aarch64-none-linux-gnu-' },
  );
  assert.deepEqual(
    [given.cc, given.strip],
    [['/opt/x/bin/aarch64-none-linux-gnu-gcc'], '/opt/x/bin/aarch64-none-linux-gnu-strip'],
  );
  // Nothing recorded, nothing given: CONFIG_CC_VERSION_TEXT names the gcc.
  assert.deepEqual(decideTargetTools({ ...GCC, recordedCc: undefined }).cc, ['aarch64-linux-gnu-gcc']);
  assert.equal(decideTargetTools({ ...GCC, recordedCc: ['gcc-12'] }).strip, 'strip');
});

test('CC with a wrapper and options: the C++ compiler keeps both, only the program word changes', () => {
  const t = decideTargetTools(GCC, { CC: 'aarch64-linux-gnu-gcc --sysroot=/srv/arm64' });
  assert.deepEqual(t.cc, ['aarch64-linux-gnu-gcc', '--sysroot=/srv/arm64']);
  assert.deepEqual(t.cxx, ['aarch64-linux-gnu-g++', '--sysroot=/srv/arm64']);
  assert.equal(t.crossCompile, 'aarch64-linux-gnu-');
  const wrapped = decideTargetTools(GCC, { CC: 'ccache aarch64-linux-gnu-gcc-12 -march=armv8.2-a' });
  assert.deepEqual(wrapped.cxx, ['ccache', 'aarch64-linux-gnu-g++-12', '-march=armv8.2-a']);
  assert.equal(wrapped.strip, 'aarch64-linux-gnu-strip');
  const clang = decideTargetTools(CLANG, { CC: 'ccache clang-15 --target=aarch64-linux-gnu' });
  assert.deepEqual(clang.cxx, ['ccache', 'clang++-15', '--target=aarch64-linux-gnu']);
});

test('cxxCommand maps gcc, clang and cc by name, with a directory or cross prefix; an unknown compiler gets the fallback', () => {
  assert.deepEqual(cxxCommand(['gcc'], 'x'), ['g++']);
  assert.deepEqual(cxxCommand(['/opt/bin/arm-linux-gnueabihf-gcc-12.2'], 'x'), [
    '/opt/bin/arm-linux-gnueabihf-g++-12.2',
  ]);
  assert.deepEqual(cxxCommand(['/usr/lib/llvm-15/bin/clang', '-O2'], 'x'), ['/usr/lib/llvm-15/bin/clang++', '-O2']);
  assert.deepEqual(cxxCommand(['cc'], 'x'), ['c++']);
  assert.deepEqual(cxxCommand(['my-compiler', '--flag'], 'aarch64-linux-gnu-g++'), ['aarch64-linux-gnu-g++', '--flag']);
  // "gcc" inside a wrapper's or a directory's name is not the program word.
  assert.deepEqual(cxxCommand(['/opt/gcc/bin/ccache', '/opt/gcc/bin/gcc'], 'x'), [
    '/opt/gcc/bin/ccache',
    '/opt/gcc/bin/g++',
  ]);
});

test('LLVM=1 (or LLVM=0, as llvm.rst says): clang, ld.lld and the llvm- binutils without prefix or suffix', () => {
  for (const LLVM of ['1', '0']) {
    const t = decideTargetTools({ ...CLANG, recordedCc: undefined }, { LLVM });
    assert.deepEqual(t.llvm, { value: LLVM, prefix: '', suffix: '' });
    assert.deepEqual([t.cc, t.cxx], [['clang'], ['clang++']]);
    assert.deepEqual(binutils(t), ['ld.lld', 'llvm-ar', 'llvm-objcopy', 'llvm-strip']);
    assert.equal(t.crossCompile, 'aarch64-linux-gnu-', 'CROSS_COMPILE still names the target for clang');
  }
  // An ld.lld build without LLVM= given is read as LLVM=1.
  assert.equal(decideTargetTools(CLANG).llvm?.value, '1');
  // LLVM= given empty is no LLVM, as make's ifneq ($(LLVM),).
  assert.equal(decideTargetTools(CLANG, { LLVM: '' }).strip, 'aarch64-linux-gnu-strip');
});

test('LLVM=-N is a version suffix, LLVM=/dir/ a directory prefix (5.18+ top Makefile)', () => {
  const suffix = decideTargetTools({ ...CLANG, recordedCc: undefined }, { LLVM: '-15' });
  assert.deepEqual([suffix.cc, suffix.cxx], [['clang-15'], ['clang++-15']]);
  assert.deepEqual(binutils(suffix), ['ld.lld-15', 'llvm-ar-15', 'llvm-objcopy-15', 'llvm-strip-15']);
  const prefix = decideTargetTools({ ...CLANG, recordedCc: undefined }, { LLVM: '/usr/lib/llvm-16/bin/' });
  assert.deepEqual([prefix.cc, prefix.cxx], [['/usr/lib/llvm-16/bin/clang'], ['/usr/lib/llvm-16/bin/clang++']]);
  assert.deepEqual(binutils(prefix), [
    '/usr/lib/llvm-16/bin/ld.lld',
    '/usr/lib/llvm-16/bin/llvm-ar',
    '/usr/lib/llvm-16/bin/llvm-objcopy',
    '/usr/lib/llvm-16/bin/llvm-strip',
  ]);
  // A recorded clang wins as the C compiler; the binutils follow LLVM=.
  const recorded = decideTargetTools(CLANG, { LLVM: '-15' });
  assert.deepEqual([recorded.cc, recorded.strip], [['clang'], 'llvm-strip-15']);
  // LLVM= with a gcc build: make's binutils are LLVM's, the recorded gcc stays the compiler.
  const gccLlvm = decideTargetTools(GCC, { LLVM: '-15' });
  assert.deepEqual(
    [gccLlvm.cc, gccLlvm.cxx, gccLlvm.objcopy],
    [['aarch64-linux-gnu-gcc'], ['aarch64-linux-gnu-g++'], 'llvm-objcopy-15'],
  );
});

test('5.10 knows only LLVM=1: a suffix or prefix there still means the plain names', () => {
  assert.deepEqual(readLlvmSetting('-15', [5, 10, 0]), { value: '-15', prefix: '', suffix: '' });
  assert.deepEqual(readLlvmSetting('/opt/llvm/bin/', [5, 17, 9]), { value: '/opt/llvm/bin/', prefix: '', suffix: '' });
  assert.deepEqual(readLlvmSetting('-15', [5, 18, 0]), { value: '-15', prefix: '', suffix: '-15' });
  assert.equal(readLlvmSetting(undefined, [6, 1, 0]), undefined);
  assert.equal(
    decideTargetTools({ ...CLANG, recordedCc: undefined, kernelVersion: [5, 10, 0] }, { LLVM: '-15' }).strip,
    'llvm-strip',
  );
});

test("an ld.lld build's LLVM= is read back from the clang it recorded", () => {
  assert.equal(llvmValueOfCompiler('clang-15', [6, 12, 0]), '-15');
  assert.equal(llvmValueOfCompiler('/usr/lib/llvm-16/bin/clang', [6, 12, 0]), '/usr/lib/llvm-16/bin/');
  assert.equal(llvmValueOfCompiler('clang', [6, 12, 0]), '1');
  assert.equal(llvmValueOfCompiler('clang-15', [5, 10, 0]), '1');
  const t = decideTargetTools({ ...CLANG, recordedCc: ['ccache', 'clang-15'] });
  assert.deepEqual(
    [t.llvm?.value, t.strip, t.ld, t.cxx],
    ['-15', 'llvm-strip-15', 'ld.lld-15', ['ccache', 'clang++-15']],
  );
});

test('crossPrefixOf takes the prefix off gcc and clang names', () => {
  assert.equal(crossPrefixOf('aarch64-linux-gnu-gcc-12'), 'aarch64-linux-gnu-');
  assert.equal(crossPrefixOf('gcc'), '');
});

test("targetCompilers adds clang's --target=, -fuse-ld=lld for an ld.lld build and the sysroot to both commands", () => {
  const arch = findArch('arm64');
  assert.ok(arch !== undefined);
  const toolchainOf = (facts: TargetToolFacts, vars: MakeVars = {}): Toolchain => {
    const tools = decideTargetTools(facts, vars);
    return {
      kind: facts.kind,
      versionText: facts.versionText,
      version: 0,
      cc: tools.cc,
      crossPrefix: tools.crossCompile,
      clangTarget: facts.clangTarget,
      llvm: facts.ldIsLld,
      hostcc: ['gcc'],
      tools,
      ccCanLink: true,
      ccSource: 'config',
    };
  };
  assert.deepEqual(
    targetCompilers(toolchainOf(GCC, { CC: 'aarch64-linux-gnu-gcc --sysroot=/x' }), arch, '/root/sysroot'),
    {
      c: ['aarch64-linux-gnu-gcc', '--sysroot=/x', '--sysroot=/root/sysroot'],
      cxx: ['aarch64-linux-gnu-g++', '--sysroot=/x', '--sysroot=/root/sysroot'],
    },
  );
  assert.deepEqual(targetCompilers(toolchainOf(CLANG, { LLVM: '-15' }), arch), {
    c: ['clang', '--target=aarch64-linux-gnu', '-fuse-ld=lld'],
    cxx: ['clang++', '--target=aarch64-linux-gnu', '-fuse-ld=lld'],
  });
});
