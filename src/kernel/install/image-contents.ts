/**
 * The image part (ImageContents), staged: the boot image, System.map and .config from the
 * object tree as they are, the modules through modules_install and the device trees through
 * dtbs_install into a scratch directory.
 */
import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { bootInstallPathFor } from '../arch-table.js';
import type { TreeFacts } from '../inspect.js';
import { isEnabled } from '../kconfig.js';
import type { ImageContents, TreeFile } from '../parts.js';
import { findBootImage } from './boot-image.js';
import { installDtbs } from './dtbs-install.js';
import type { KernelMakeContext } from './kernel-make.js';
import { installModules } from './modules-install.js';

export interface StageImageOptions {
  /** An empty directory for modules_install and dtbs_install. */
  scratch: string;
  /** INSTALL_MOD_STRIP ('' for none); default '1'. */
  moduleStrip?: string | undefined;
  jobs?: number;
  onStep?: (step: 'modules' | 'dtbs', detail: string) => void;
}

/** A file of the object tree the package ships as it is; a missing one means the build is incomplete. */
export async function treeFile(objtree: string, relative: string, what: string): Promise<TreeFile> {
  const source = join(objtree, relative);
  try {
    const st = await stat(source);
    if (st.isFile()) return { source, size: st.size };
  } catch {
    // reported below
  }
  throw new KpkgError(`${what} ${relative} is missing from ${objtree}`, { where: source, hint: 'finish the kernel build (make) before packaging it' });
}

export async function stageImage(facts: TreeFacts, ctx: KernelMakeContext, options: StageImageOptions): Promise<ImageContents> {
  const { tree, arch } = facts;
  const boot = await findBootImage(ctx);
  const bootFile = await treeFile(tree.objtree, boot.name, 'the boot image');
  const systemMap = await treeFile(tree.objtree, 'System.map', 'the symbol map');
  const config = await treeFile(tree.objtree, '.config', 'the configuration');
  // Run even without CONFIG_MODULES, as builddeb does: see installModules.
  options.onStep?.('modules', `make modules_install${options.moduleStrip === '' ? '' : ` INSTALL_MOD_STRIP=${options.moduleStrip ?? '1'}`} into a staging directory`);
  const modules = await installModules(ctx, join(options.scratch, 'modules'), { strip: options.moduleStrip, ...(options.jobs === undefined ? {} : { jobs: options.jobs }) });
  options.onStep?.('dtbs', 'make dtbs_install into a staging directory (device-tree architectures)');
  const dtbs = await installDtbs(ctx, join(options.scratch, 'dtbs'));
  return {
    release: tree.release,
    bootImage: { ...bootFile, bootName: basename(bootInstallPathFor(arch, tree.release)) },
    systemMap,
    config,
    modules,
    dtbs,
    initrd: isEnabled(tree.config, 'BLK_DEV_INITRD'),
  };
}
