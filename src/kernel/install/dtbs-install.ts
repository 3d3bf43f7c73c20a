/**
 * `make dtbs_install` into a staging directory (INSTALL_DTBS_PATH=), as scripts/package/builddeb
 * does for device-tree architectures: only when CONFIG_OF_EARLY_FLATTREE and the architecture has
 * arch/<srcarch>/boot/dts; the install copies the built .dtb/.dtbo files (scripts/Makefile.dtbinst)
 * and builds nothing.
 */
import { join } from 'node:path';
import { isDirectory } from '../../util/fs.js';
import { isEnabled } from '../kconfig.js';
import { runKernelMake, type KernelMakeContext } from './kernel-make.js';
import { listStagedTree, type StagedItem } from './staged-tree.js';

/** Whether builddeb would install device trees for this tree. */
export async function hasDeviceTrees(ctx: Pick<KernelMakeContext, 'tree'>): Promise<boolean> {
  const { tree } = ctx;
  return (
    isEnabled(tree.config, 'OF_EARLY_FLATTREE') &&
    (await isDirectory(join(tree.srctree, 'arch', tree.srcArch, 'boot', 'dts')))
  );
}

/** Installs the device trees into `dest`; returns what was staged there (none for trees without DT). */
export async function installDtbs(ctx: KernelMakeContext, dest: string): Promise<StagedItem[]> {
  if (!(await hasDeviceTrees(ctx))) return [];
  await runKernelMake(ctx, ['dtbs_install', `INSTALL_DTBS_PATH=${dest}`]);
  return (await isDirectory(dest)) ? listStagedTree(dest) : [];
}
