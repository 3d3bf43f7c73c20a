import type { TreeFacts } from '../kernel/inspect.js';
import { targetCompilers } from '../kernel/headers/host-programs.js';
import { KpkgError } from '../util/errors.js';
import { runDoctor } from './checks.js';
import { formatCheck } from './report.js';

/**
 * Before rebuilding host programs for the target, the checks `kpkg doctor` makes for this tree, so a
 * missing library is reported up front, with its install command, rather than as a compiler error.
 * `sysroot` is the root packaging chose (undefined: multiarch), checked as it is.
 */
export async function assertReadyToRebuild(facts: TreeFacts, sysroot?: string): Promise<void> {
  const compilers = targetCompilers(facts.toolchain, facts.arch);
  const results = await runDoctor({ arch: facts.arch, cc: compilers.c, cxx: compilers.cxx, features: facts.features, gccVersion: facts.toolchain.version, libraries: { root: sysroot } });
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return;
  throw new KpkgError(`this machine cannot rebuild the host programs of ${facts.tree.release} for ${facts.arch.debian}:\n${failed.map(formatCheck).join('\n')}`, {
    hint: `install the missing pieces above; \`kpkg doctor --build-dir ${facts.tree.objtree}${sysroot === undefined ? '' : ` --sysroot ${sysroot}`}\` checks again`,
  });
}
