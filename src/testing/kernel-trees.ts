import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

/** The repository root (dist/testing/ → ../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface TreeSpec {
  series: '6.1' | '6.12';
  arch?: string;
  config?: 'tiny' | 'full';
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
    throw new Error(`tools/kernel-tree ${args.join(' ')} failed (exit ${String(result.exitCode)}):\n${result.stderr.slice(-3000)}`);
  }
  const dir = result.stdout.trim().split('\n').pop();
  if (dir === undefined || dir === '') throw new Error('tools/kernel-tree printed no directory');
  return dir;
}

/** Test timeout for anything that may build a kernel on a cache miss. */
export const KERNEL_BUILD_TIMEOUT_MS = 30 * 60 * 1000;
