/**
 * Debian's names for a kernel's compiler: every gcc and clang major is a package of its own
 * (gcc-12, clang-14, lld-14, llvm-14) whose programs carry the version (gcc-12, clang-14, ld.lld-14,
 * llvm-ar-14); the plain names (gcc, clang, ld.lld) come from the release's default-version
 * packages gcc, clang, lld, llvm. Debian's own linux-headers depend on gcc-<major> the same way.
 */
import type { KernelCompiler } from '../../kernel/compiler.js';
import type { CompilerConvention } from '../compiler.js';

export const DEBIAN_COMPILER_NAMES: CompilerConvention = {
  packages(c) {
    const major = c.major;
    // gcc-built: make calls plain gcc (the top Makefile's $(CROSS_COMPILE)gcc), which only the gcc package installs.
    if (c.kind === 'gcc') return [`gcc-${major}`, 'gcc'];
    if (!c.llvm) return [`clang-${major}`, 'clang'];
    // The plain clang and ld.lld too: dkms up to 3.0.10 (Debian 12's) passes `CC=clang LD=ld.lld` to
    // make itself. Before 5.18 LLVM= selects the plain names only (llvmDefault), llvm-ar too.
    const versioned = [`clang-${major}`, `lld-${major}`, `llvm-${major}`, 'clang', 'lld'];
    return c.llvmSuffixes ? versioned : [...versioned, 'llvm'];
  },
  llvmDefault: (c: KernelCompiler) => (c.llvmSuffixes ? `-${c.major}` : '1'),
};
