/**
 * The image part (ImageContents), staged: the boot image, System.map and .config from the
 * object tree as they are, the modules through modules_install and the device trees through
 * dtbs_install into a scratch directory.
 */
import { stat } from 'node:fs/promises';
import { isDirectory } from '../../util/fs.js';
import { listStagedTree, type StagedItem } from './staged-tree.js';
import { basename, join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { bootInstallPathFor } from '../../arch/kconfig.js';
import type { TreeFacts } from '../inspect.js';
import { isEnabled } from '../kconfig.js';
import type { ImageContents, TreeFile } from '../parts.js';
import { findBootImage } from './boot-image.js';
import { installDtbs } from './dtbs-install.js';
import type { KernelMakeContext } from './kernel-make.js';
import { installModules } from './modules-install.js';

export interface InstallImageOptions {
  /** INSTALL_MOD_STRIP ('' for none); default '1'. */
  moduleStrip?: string | undefined;
  jobs?: number;
  onStep?: (step: 'modules' | 'dtbs', detail: string) => void;
}

/** What installImage wrote besides the files. */
export interface InstalledImage {
  /** The boot image as `make image_name` names it, relative to the object tree. */
  bootImage: string;
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
  throw new KpkgError(`${what} ${relative} is missing from ${objtree}`, {
    where: source,
    hint: 'finish the kernel build (make) before packaging it',
  });
}

/** Runs the make steps of the image part into `dir` (an empty directory): modules_install into modules/, dtbs_install into dtbs/. */
export async function installImage(
  ctx: KernelMakeContext,
  dir: string,
  options: InstallImageOptions,
): Promise<InstalledImage> {
  const boot = await findBootImage(ctx);
  // Run even without CONFIG_MODULES, as builddeb does: see installModules.
  options.onStep?.(
    'modules',
    `make modules_install${options.moduleStrip === '' ? '' : ` INSTALL_MOD_STRIP=${options.moduleStrip ?? '1'}`} into a staging directory`,
  );
  await installModules(ctx, join(dir, 'modules'), {
    strip: options.moduleStrip,
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
  });
  options.onStep?.('dtbs', 'make dtbs_install into a staging directory (device-tree architectures)');
  await installDtbs(ctx, join(dir, 'dtbs'));
  return { bootImage: boot.name };
}

/** The image part from the object tree and what installImage wrote into `dir`. */
export async function imageContents(facts: TreeFacts, dir: string, installed: InstalledImage): Promise<ImageContents> {
  const { tree, arch } = facts;
  const bootFile = await treeFile(tree.objtree, installed.bootImage, 'the boot image');
  const systemMap = await treeFile(tree.objtree, 'System.map', 'the symbol map');
  const config = await treeFile(tree.objtree, '.config', 'the configuration');
  const listed = async (sub: string): Promise<StagedItem[]> =>
    (await isDirectory(join(dir, sub))) ? listStagedTree(join(dir, sub)) : [];
  return {
    release: tree.release,
    bootImage: { ...bootFile, bootName: basename(bootInstallPathFor(arch, tree.release)) },
    systemMap,
    config,
    modules: await listed('modules'),
    dtbs: await listed('dtbs'),
    initrd: isEnabled(tree.config, 'BLK_DEV_INITRD'),
  };
}
