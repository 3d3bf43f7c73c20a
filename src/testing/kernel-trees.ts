import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/testing/ → ../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface TreeSpec {
  series: '5.10' | '6.1' | '6.12' | 'newest';
  arch?: string;
  config?: 'tiny' | 'full' | 'dkms';
  llvm?: boolean;
}

/**
 * A real built kernel tree from Debian's linux-source package, via tools/kernel-tree: a cache hit
 * returns at once, a miss builds it (minutes). Never skips: a missing source package or compiler
 * fails the test with the install command (CI's .ci/run installs them).
 */
export async function builtKernelTree(spec: TreeSpec): Promise<string> {
  const args = ['--series', spec.series, '--arch', spec.arch ?? 'arm64', '--config', spec.config ?? 'tiny'];
  if (spec.llvm === true) args.push('--llvm');
  const result = await execa(`${REPO_ROOT}tools/kernel-tree`, args, { reject: false, stderr: 'pipe', stdout: 'pipe' });
  if (result.exitCode !== 0) {
    throw new Error(
      `tools/kernel-tree ${args.join(' ')} failed (exit ${String(result.exitCode)}):\n${result.stderr.slice(-3000)}`,
    );
  }
  const dir = result.stdout.trim().split('\n').pop();
  if (dir === undefined || dir === '') throw new Error('tools/kernel-tree printed no directory');
  return dir;
}

/** Test timeout for anything that may build a kernel on a cache miss. */
export const KERNEL_BUILD_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * The test tiers: `ci` (what `.ci/run` runs, kept well under an hour from nothing on two cores: the 6.1
 * arm64 tiny tree — the ≤ 6.11 kernels whose upstream headers ship x86-64 programs, and the README's
 * default — and the 6.12 arm64 full tree: GCC plugins, BTF, module signing) and `all` (`tools/test --all`:
 * also the 6.12 arm64 tiny, 6.12 ppc64el (objtool), 6.1 arm64 full, 6.12 LLVM=1, 6.1 arm64 dkms (gcc and LLVM=1) and 6.1 s390x
 * (big-endian) trees; the other targets and kernels are cells of tools/matrix, src/testing/matrix.ts). Tests of the
 * other trees are not registered in the CI tier — not skipped: nothing is missing, the tier is a choice
 * made before the run, and tools/test builds the trees of its tier first.
 */
export const FULL_MATRIX = process.env.KPKG_TEST_TIER === 'all';

/** Whether a tree belongs to the current tier. */
export function inTier(spec: TreeSpec): boolean {
  if (FULL_MATRIX) return true;
  const arch = spec.arch ?? 'arm64';
  const config = spec.config ?? 'tiny';
  return (
    arch === 'arm64' &&
    spec.llvm !== true &&
    ((spec.series === '6.1' && config === 'tiny') || (spec.series === '6.12' && config === 'full'))
  );
}

/**
 * Whether a test case runs in this tier. A case marked `allTierOnly` repeats, on a second tree of the CI tier, a
 * proof the CI tier already makes on the other one: worth the minutes in `tools/test --all`, not in every CI run.
 */
export function caseInTier(c: { readonly spec: TreeSpec; readonly allTierOnly?: boolean }): boolean {
  return inTier(c.spec) && (FULL_MATRIX || c.allTierOnly !== true);
}
