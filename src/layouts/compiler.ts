/**
 * How a family names the compiler a kernel was built with (src/kernel/compiler.ts) on its target: the
 * packages that bring it, and the LLVM= its headers tree defaults to so that `make M=` finds it.
 */
import { COMPILER_DEFAULT_MAKEFILE, compilerDefaultMakefile, type KernelCompiler } from '../kernel/compiler.js';
import type { PackageEntry, PackageRelation } from '../package/model.js';

export interface CompilerConvention {
  /** The packages that bring the compiler (and, for an LLVM= build, lld and the LLVM tools) under the names make will call. */
  packages(compiler: KernelCompiler): string[];
  /** LLVM= for an LLVM= build's headers: what selects the kernel's clang with this family's program names. */
  llvmDefault(compiler: KernelCompiler): string;
}

/**
 * Families whose releases carry one clang and one gcc under their plain names (Fedora, Arch Linux;
 * a tarball, whose target is unknown): gcc, or clang, lld and llvm, and LLVM=1.
 */
export const PLAIN_COMPILER_NAMES: CompilerConvention = {
  packages: (c) => (c.kind === 'gcc' ? ['gcc'] : c.llvm ? ['clang', 'lld', 'llvm'] : ['clang']),
  llvmDefault: () => '1',
};

/** The relations that bring the kernel's compiler (none when the tree records none). */
export function compilerRelations(
  compiler: KernelCompiler | undefined,
  convention: CompilerConvention,
): PackageRelation[] {
  return compiler === undefined ? [] : convention.packages(compiler).map((name) => ({ name }));
}

/** The headers tree's GNUmakefile (kernel/compiler.ts) at `root`, for an LLVM= build; none for any other. */
export function compilerDefaultEntries(
  compiler: KernelCompiler | undefined,
  root: string,
  convention: CompilerConvention,
): PackageEntry[] {
  if (compiler?.llvm !== true) return [];
  const text = compilerDefaultMakefile(compiler, convention.llvmDefault(compiler));
  return [
    {
      kind: 'file',
      path: `${root}/${COMPILER_DEFAULT_MAKEFILE}`,
      mode: 0o644,
      size: Buffer.byteLength(text),
      source: { from: 'bytes', data: Buffer.from(text) },
    },
  ];
}
