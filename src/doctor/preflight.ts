import type { TreeFacts } from '../kernel/inspect.js';
import { targetCompilers } from '../kernel/headers/host-programs.js';
import { KpkgError } from '../util/errors.js';
import { onPath } from '../util/on-path.js';
import { runDoctor } from './checks.js';
import { formatCheck } from './report.js';

/**
 * When rebuilding host programs for the target failed, the checks `kpkg doctor` makes for this tree,
 * so that a missing library is reported with its install command rather than as a compiler error.
 * `sysroot` is the root packaging chose (undefined: multiarch), checked as it is.
 */
export async function assertReadyToRebuild(facts: TreeFacts, sysroot?: string): Promise<void> {
  const compilers = targetCompilers(facts.toolchain, facts.arch);
  const results = await runDoctor({
    arch: facts.arch,
    cc: compilers.c,
    cxx: compilers.cxx,
    features: facts.features,
    gccVersion: facts.toolchain.version,
    libraries: { root: sysroot },
  });
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return;
  throw new KpkgError(
    `this machine cannot rebuild the host programs of ${facts.tree.release} for ${facts.arch.debian}:\n${failed.map(formatCheck).join('\n')}`,
    {
      hint: `install the missing pieces above; \`kpkg doctor --build-dir ${facts.tree.objtree}${sysroot === undefined ? '' : ` --sysroot ${sysroot}`}\` checks again`,
    },
  );
}

/**
 * The target's compiler and binutils (src/kernel/target-tools.ts) are installed: a CROSS_COMPILE=
 * or LLVM= that names tools this machine lacks fails here, in one line, before anything is built.
 */
export async function assertTargetToolsInstalled(facts: TreeFacts): Promise<void> {
  const { tools } = facts.toolchain;
  const programs = [
    ...new Set([
      tools.cc.find((w) => !w.startsWith('-') && w !== 'ccache') ?? '',
      tools.ld,
      tools.ar,
      tools.objcopy,
      tools.strip,
    ]),
  ].filter((p) => p !== '');
  const missing: string[] = [];
  for (const program of programs) if (!(await onPath(program))) missing.push(program);
  if (missing.length === 0) return;
  const setting = tools.llvm === undefined ? `CROSS_COMPILE=${tools.crossCompile}` : `LLVM=${tools.llvm.value}`;
  const install =
    tools.llvm === undefined
      ? `apt-get install gcc-${facts.arch.gnuTriplet} binutils-${facts.arch.gnuTriplet}`
      : 'apt-get install clang lld llvm';
  throw new KpkgError(`the target's tools for ${setting} are not installed: ${missing.join(', ')}`, {
    hint: `install them (${install}), or pass the CROSS_COMPILE= / LLVM= the tree was built with`,
  });
}
