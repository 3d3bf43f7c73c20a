/**
 * The image part (ImageContents), staged: the boot image, System.map and .config from the
 * object tree as they are, the modules through modules_install and the device trees through
 * dtbs_install, each into a directory of its own (a build cache keeps them apart: a changed
 * module does not run dtbs_install again).
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
import { installModules, type ModuleFinisher } from './modules-install.js';

export interface InstallModulesStepOptions {
  /** INSTALL_MOD_STRIP ('' for none); default '1'. */
  moduleStrip?: string | undefined;
  jobs?: number;
  /** Finishes each module (strip, sign): see modules-install.ts. */
  finishOne?: ModuleFinisher | undefined;
  onStep?: (step: 'modules', detail: string) => void;
}

/** What installBootFiles found besides the files. */
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

/** modules_install into `dir` (an empty directory), then each module stripped and signed. */
export async function installImageModules(
  ctx: KernelMakeContext,
  dir: string,
  options: InstallModulesStepOptions,
): Promise<void> {
  // Run even without CONFIG_MODULES, as builddeb does: see installModules.
  const strip = options.moduleStrip ?? '1';
  options.onStep?.(
    'modules',
    `make modules_install into a staging directory${strip === '' ? '' : `, modules stripped (INSTALL_MOD_STRIP=${strip})`}${isEnabled(ctx.tree.config, 'MODULE_SIG_ALL') ? ' and signed' : ''}`,
  );
  await installModules(ctx, dir, {
    strip,
    finishOne: options.finishOne,
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
  });
}

/** dtbs_install into `dir` (an empty directory; device-tree architectures), and the boot image's name. */
export async function installBootFiles(
  ctx: KernelMakeContext,
  dir: string,
  options: { onStep?: (step: 'dtbs', detail: string) => void },
): Promise<InstalledImage> {
  const boot = await findBootImage(ctx);
  options.onStep?.('dtbs', 'make dtbs_install into a staging directory (device-tree architectures)');
  await installDtbs(ctx, dir);
  return { bootImage: boot.name };
}

/** Where installImageModules and installBootFiles wrote. */
export interface StagedImage {
  modules: string;
  dtbs: string;
}

/** The image part from the object tree and what installImage wrote into `dir`. */
export async function imageContents(
  facts: TreeFacts,
  staged: StagedImage,
  installed: InstalledImage,
): Promise<ImageContents> {
  const { tree, arch } = facts;
  const bootFile = await treeFile(tree.objtree, installed.bootImage, 'the boot image');
  const systemMap = await treeFile(tree.objtree, 'System.map', 'the symbol map');
  const config = await treeFile(tree.objtree, '.config', 'the configuration');
  const listed = async (dir: string): Promise<StagedItem[]> => ((await isDirectory(dir)) ? listStagedTree(dir) : []);
  return {
    release: tree.release,
    bootImage: { ...bootFile, bootName: basename(bootInstallPathFor(arch, tree.release)) },
    systemMap,
    config,
    modules: await listed(staged.modules),
    dtbs: await listed(staged.dtbs),
    initrd: isEnabled(tree.config, 'BLK_DEV_INITRD'),
  };
}
