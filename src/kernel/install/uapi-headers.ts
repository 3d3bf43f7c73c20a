/**
 * `make headers_install` (the userspace API headers of linux-libc-dev) into a staging directory.
 *
 * Unlike the other install targets, headers_install builds into the object tree: it compiles
 * scripts/unifdef and writes the sanitised headers to <objtree>/usr/include before copying them to
 * INSTALL_HDR_PATH (top Makefile, targets `headers` and `headers_install`). The target needs no
 * configuration (it is one of the Makefile's no-dot-config-targets), so kpkg runs it with a fresh
 * scratch object tree (O=<scratch>) and the user's tree is never written.
 */
import { mkdir, rm } from 'node:fs/promises';
import { runKernelMake, type KernelMakeContext } from './kernel-make.js';
import { listStagedTree, type StagedItem } from './staged-tree.js';
import { installUapiHeadersNatively } from './uapi-native.js';

export interface UapiHeadersOptions {
  /** An empty directory make may use as its object tree. */
  scratchObjtree: string;
  jobs?: number;
  /** false: always the kernel's make (what the equality test compares with). */
  native?: boolean;
}

/**
 * Installs the headers as `dest`/include/...; returns the staged items (relative to dest). kpkg's
 * own headers_install (uapi-native.ts) where it knows the kernel's scripts, else the kernel's make.
 */
export async function installUapiHeaders(
  ctx: KernelMakeContext,
  dest: string,
  options: UapiHeadersOptions,
): Promise<StagedItem[]> {
  if (options.native !== false) {
    const native = await installUapiHeadersNatively(ctx, dest, {
      scratchObjtree: options.scratchObjtree,
      jobs: options.jobs ?? 1,
    });
    if (native !== undefined) return native;
    await rm(options.scratchObjtree, { recursive: true, force: true });
    await rm(dest, { recursive: true, force: true });
  }
  await mkdir(options.scratchObjtree, { recursive: true });
  await runKernelMake(ctx, ['headers_install', `INSTALL_HDR_PATH=${dest}`], {
    objtree: options.scratchObjtree,
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
  });
  return listStagedTree(dest);
}
