/**
 * headers-compiler / headers-compiler-undeclared: external modules are built with the kernel's own
 * compiler (src/kernel/compiler.ts). A clang-built kernel's headers that neither bring clang (and, for
 * an LLVM= build, lld) nor make `make -C … M=…` pick it fail on the target: the top Makefile picks gcc,
 * which rejects clang's flags. A gcc-built kernel's headers without gcc in their relations build only
 * where gcc happens to be installed.
 */
import { checked, notApplicable, type CheckOutcome, type VerifyCheck } from '../check.js';
import { finding, type Finding } from '../findings.js';
import {
  kernelCompiler,
  releaseVersion,
  COMPILER_DEFAULT_MAKEFILE,
  type KernelCompiler,
} from '../../kernel/compiler.js';
import type { FileSet } from '../../reader/file-set.js';
import type { HeadersTree } from '../../reader/headers-trees.js';
import type { ReadPackage } from '../../reader/model.js';

type CompilerId = 'headers-compiler' | 'headers-compiler-undeclared';

/** Every name the packages' relations offer (alternatives included); undefined when no package has relations. */
function declaredNames(packages: readonly ReadPackage[]): Set<string> | undefined {
  const withRelations = packages.filter((p) => p.requires !== undefined);
  if (withRelations.length === 0) return undefined;
  return new Set(withRelations.flatMap((p) => (p.requires ?? []).flat()));
}

/** A name of `program`'s package, plain or with a major: clang, clang-14. */
function names(declared: ReadonlySet<string>, program: string): boolean {
  return [...declared].some((n) => n === program || new RegExp(`^${program}-\\d+$`).test(n));
}

/** LLVM= set in the tree's GNUmakefile, which GNU make reads before the kernel's Makefile. */
function selectsLlvm(set: FileSet, tree: HeadersTree): boolean {
  const r = set.resolve(`${tree.root}/${COMPILER_DEFAULT_MAKEFILE}`);
  const text = r.kind === 'file' ? r.member?.text : undefined;
  return text !== undefined && /^\s*(export\s+)?LLVM\s*:?=\s*\S/m.test(text);
}

function clangFindings(
  compiler: KernelCompiler,
  tree: HeadersTree,
  set: FileSet,
  declared: Set<string> | undefined,
): Finding[] {
  const where = { path: tree.root, package: tree.package };
  const findings: Finding[] = [];
  const missing = ['clang', ...(compiler.llvm ? ['lld'] : [])].filter(
    (p) => declared !== undefined && !names(declared, p),
  );
  if (missing.length > 0)
    findings.push(
      finding(
        'headers-compiler',
        `the kernel was built with ${compiler.versionText || `clang ${compiler.major}`}, but the packages do not depend on ${missing.join(' or ')}: on a target without them no module builds`,
        { ...where, expected: missing.map((p) => `${p}-${compiler.major}`).join(', ') },
      ),
    );
  if (compiler.llvm && !selectsLlvm(set, tree))
    findings.push(
      finding(
        'headers-compiler',
        `the kernel was built with LLVM=, but nothing in the tree makes \`make -C ${tree.root} M=…\` use it: make picks gcc, which fails on clang's options ("unrecognized command-line option"); users must pass LLVM=1 (kpkg's headers set it in ${COMPILER_DEFAULT_MAKEFILE})`,
        { ...where, expected: `${tree.root}/${COMPILER_DEFAULT_MAKEFILE}` },
      ),
    );
  return findings;
}

export function checkHeadersCompiler(
  trees: readonly HeadersTree[],
  set: FileSet,
  packages: readonly ReadPackage[],
): Record<CompilerId, CheckOutcome> {
  const built = trees.flatMap((tree) => {
    const compiler = kernelCompiler(tree.config, releaseVersion(tree.release ?? tree.releases[0] ?? ''));
    return compiler === undefined ? [] : [{ tree, compiler }];
  });
  if (built.length === 0) {
    const why = notApplicable('no headers tree with a configuration that names its compiler');
    return { 'headers-compiler': why, 'headers-compiler-undeclared': why };
  }
  const declared = declaredNames(packages);
  const clang = built.filter((b) => b.compiler.kind === 'clang');
  const gcc = built.filter((b) => b.compiler.kind === 'gcc');
  const undeclared =
    declared === undefined
      ? notApplicable('the packages declare no relations (a tarball or a directory)')
      : checked(
          gcc
            .filter(() => !names(declared, 'gcc'))
            .map(({ tree, compiler }) =>
              finding(
                'headers-compiler-undeclared',
                `the kernel was built with ${compiler.versionText || `gcc ${compiler.major}`}, and the packages do not depend on gcc: \`make M=…\` works only where gcc is installed`,
                { path: tree.root, package: tree.package, expected: `gcc-${compiler.major}` },
              ),
            ),
        );
  return {
    'headers-compiler':
      clang.length === 0
        ? notApplicable('no clang-built kernel')
        : checked(clang.flatMap(({ tree, compiler }) => clangFindings(compiler, tree, set, declared))),
    'headers-compiler-undeclared': gcc.length === 0 ? notApplicable('no gcc-built kernel') : undeclared,
  };
}

export const headersCompilerCheck: VerifyCheck<CompilerId> = {
  title: "the headers' compiler",
  ids: ['headers-compiler', 'headers-compiler-undeclared'],
  run: ({ trees, set, packages }) => checkHeadersCompiler(trees, set, packages),
};
