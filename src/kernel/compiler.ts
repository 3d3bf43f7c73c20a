/**
 * The compiler a kernel was built with, as its configuration records it, and how a headers tree makes
 * `make -C <build> M=…` pick the same one without being told.
 *
 * External modules must be built with the kernel's compiler: the top Makefile compares
 * CONFIG_CC_VERSION_TEXT with the compiler it finds and warns when they differ, and a clang-built
 * kernel's flags (e.g. -Wformat-invalid-specifier) make gcc fail outright. The top Makefile picks gcc
 * unless LLVM= (or CC=) is given, so a clang-built kernel's headers need a default for it.
 */
import { configValue, isEnabled, type KconfigValues } from './kconfig.js';

export interface KernelCompiler {
  kind: 'gcc' | 'clang';
  /** The major version: CONFIG_GCC_VERSION 120200 → 12, CONFIG_CLANG_VERSION 140006 → 14. */
  major: number;
  /** CONFIG_CC_VERSION_TEXT, e.g. "Debian clang version 14.0.6". */
  versionText: string;
  /** Linked with ld.lld (CONFIG_LD_IS_LLD): an LLVM= build, whose binutils are LLVM's too. */
  llvm: boolean;
  /** LLVM= takes a version suffix ("-14") or a directory prefix: 5.18 and later (the top Makefile); before, only LLVM=1. */
  llvmSuffixes: boolean;
}

/** The compiler a configuration records (undefined: none recorded, a kernel older than 4.18's CONFIG_CC_IS_*). */
export function kernelCompiler(config: KconfigValues, kernelVersion: readonly number[]): KernelCompiler | undefined {
  const clang = isEnabled(config, 'CC_IS_CLANG');
  if (!clang && !isEnabled(config, 'CC_IS_GCC')) return undefined;
  const version = Number(configValue(config, clang ? 'CLANG_VERSION' : 'GCC_VERSION') ?? '0');
  if (!Number.isInteger(version) || version <= 0) return undefined;
  const [major = 0, minor = 0] = kernelVersion;
  return {
    kind: clang ? 'clang' : 'gcc',
    major: Math.floor(version / 10000),
    versionText: configValue(config, 'CC_VERSION_TEXT') ?? '',
    llvm: clang && isEnabled(config, 'LD_IS_LLD'),
    llvmSuffixes: major > 5 || (major === 5 && minor >= 18),
  };
}

/** A release's version numbers: "6.12.95-arm64" → [6, 12, 95]; [] when it starts with none. */
export function releaseVersion(release: string): number[] {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  return m === null ? [] : [Number(m[1]), Number(m[2]), Number(m[3] ?? '0')];
}

/**
 * The file in the headers tree that holds the default. GNU make reads GNUmakefile before Makefile, so
 * the kernel's own Makefile stays byte for byte the build's, and the default is a file a user can read.
 * Only for LLVM= builds: a CC= default would not survive the top Makefile's own `CC =` assignment.
 */
export const COMPILER_DEFAULT_MAKEFILE = 'GNUmakefile';

/**
 * GNUmakefile for an LLVM= build: LLVM=`llvm` unless LLVM= was given (command line or environment),
 * exported — the top Makefile runs itself again for M= builds in another output directory (6.13+), and
 * the sub-make sees only the environment — then the kernel's Makefile. A CC= or LD= on the command line
 * still sets that program (dkms up to 3.0.10 passes `CC=clang LD=ld.lld` itself); the LLVM tools for the
 * rest (ar, nm, objcopy, strip) stay the kernel's.
 */
export function compilerDefaultMakefile(compiler: KernelCompiler, llvm: string): string {
  return [
    `# Written by kpkg. This kernel was built with ${compiler.versionText || `${compiler.kind} ${compiler.major}`} and the LLVM tools:`,
    `# external modules build with them by default (LLVM=${llvm}). An LLVM= given to make wins.`,
    'ifeq ($(origin LLVM),undefined)',
    `export LLVM := ${llvm}`,
    'endif',
    'include Makefile',
    '',
  ].join('\n');
}
