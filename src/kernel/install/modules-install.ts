/**
 * `make modules_install` into a staging directory (INSTALL_MOD_PATH=), as scripts/package/builddeb
 * does for linux-image: the kernel's own Makefile copies the modules listed in modules.order,
 * strips them when INSTALL_MOD_STRIP is set, signs them when CONFIG_MODULE_SIG_ALL, compresses
 * them as CONFIG_MODULE_COMPRESS_* says (scripts/Makefile.modinst), installs modules.order and
 * modules.builtin*, and runs depmod on the staged copy (scripts/depmod.sh). None of that writes
 * into the object tree.
 *
 * Stripping and signing are left out of the make (no INSTALL_MOD_STRIP, CONFIG_MODULE_SIG_ALL
 * emptied on its command line) and done per module afterwards (module-finish.ts), with the same
 * commands in the same order: the same bytes, and a caller can keep each finished module.
 */
import { constants } from 'node:fs';
import { access, lstat, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { isDirectory, isFile } from '../../util/fs.js';
import { cpuParallelism, mapLimit } from '../../util/pool.js';
import { isEnabled } from '../kconfig.js';
import { modulesInOrder } from './debug-info.js';
import { finishModule, moduleSigningKey, plannedFinish, type ModuleFinish } from './module-finish.js';
import { runKernelMake, type KernelMakeContext } from './kernel-make.js';
import { listStagedTree, type StagedItem } from './staged-tree.js';

export interface ModulesInstallOptions {
  /**
   * INSTALL_MOD_STRIP: '1' strips with --strip-debug, other text is passed to strip as options,
   * '' does not strip. Default '1', what 6.12's scripts/package/builddeb passes (6.1's strips
   * only when it splits off debug info; on a module built without debug info --strip-debug only
   * drops local section symbols).
   */
  strip?: string | undefined;
  jobs?: number;
  /** Finishes one module as finishModule does; by default finishModule itself. */
  finishOne?: ModuleFinisher | undefined;
}

/** One installed module to strip and sign. */
export interface ModuleFinishJob {
  /** Its path in the object tree, as modules.order names it (lib/crc-ccitt.ko). */
  module: string;
  /** The module as built. */
  built: string;
  /** Its copy below the staging directory, finished in place. */
  installed: string;
  finish: ModuleFinish;
}

export type ModuleFinisher = (job: ModuleFinishJob) => Promise<void>;

/** /lib/modules/<release> below an install root. */
export function moduleDirIn(root: string, release: string): string {
  return join(root, 'lib', 'modules', release);
}

/**
 * Installs the modules (and the modules.builtin* files) below `root` and returns what was staged
 * (paths relative to root, e.g. lib/modules/6.1.0/kernel/lib/crc-ccitt.ko). The `build` and
 * `source` links modules_install points at the build machine's trees are removed, as builddeb
 * does: the headers package owns `build`, and no package ships `source`.
 */
export async function installModules(
  ctx: KernelMakeContext,
  root: string,
  options: ModulesInstallOptions = {},
): Promise<StagedItem[]> {
  const strip = options.strip ?? '1';
  if (/[%:]/.test(root)) {
    throw new KpkgError(`the staging directory ${root} contains '%' or ':', which scripts/Makefile.modinst refuses`, {
      where: root,
      hint: 'set TMPDIR to a directory without those characters',
    });
  }
  const modules = isEnabled(ctx.tree.config, 'MODULES');
  if (modules) await assertSigningKeyReadable(ctx);
  const finish = await plannedFinish(ctx, strip);
  const finishing =
    finish === undefined
      ? [...(strip === '' ? [] : [`INSTALL_MOD_STRIP=${strip}`])]
      : [...(finish.sign === undefined ? [] : ['CONFIG_MODULE_SIG_ALL='])];
  try {
    await runKernelMake(
      ctx,
      ['modules_install', `INSTALL_MOD_PATH=${root}`, ...finishing],
      options.jobs === undefined ? {} : { jobs: options.jobs },
    );
  } catch (e) {
    // Without CONFIG_MODULES, newer kernels (6.12's scripts/Makefile.modinst) still install
    // modules.builtin and modules.builtin.modinfo, which builddeb then ships; older ones refuse
    // the target ("The present kernel configuration has modules disabled"): nothing to ship.
    if (!modules && e instanceof KpkgError && /modules disabled|disabled CONFIG_MODULES/.test(e.message)) return [];
    throw e;
  }
  const moduleDir = moduleDirIn(root, ctx.tree.release);
  for (const link of ['build', 'source']) {
    const path = join(moduleDir, link);
    const st = await lstat(path).catch(() => undefined);
    if (st?.isSymbolicLink() === true) await rm(path);
  }
  // scripts/depmod.sh only warns, and skips depmod, when depmod or System.map is missing: the
  // package would then lack modules.dep and modprobe would not find the modules.
  if (modules && !(await isFile(join(moduleDir, 'modules.dep')))) {
    const hasMap = await isFile(join(ctx.tree.objtree, 'System.map'));
    throw new KpkgError(`modules_install ran no depmod: ${join(moduleDir, 'modules.dep')} is missing`, {
      where: moduleDir,
      hint: hasMap
        ? 'install depmod (apt-get install kmod)'
        : `System.map is missing from ${ctx.tree.objtree}: finish the kernel build`,
    });
  }
  if (finish !== undefined && (finish.strip !== undefined || finish.sign !== undefined))
    await finishEach(ctx, finish, moduleDir, options);
  return (await isDirectory(root)) ? listStagedTree(root) : [];
}

/** Strips and signs every installed module of modules.order (installed as kernel/<its path>). */
async function finishEach(
  ctx: KernelMakeContext,
  finish: ModuleFinish,
  moduleDir: string,
  options: ModulesInstallOptions,
): Promise<void> {
  const finishOne =
    options.finishOne ?? ((job: ModuleFinishJob) => finishModule(ctx, job.finish, job.installed, job.module));
  const { objtree } = ctx.tree;
  await mapLimit(await modulesInOrder(objtree), options.jobs ?? cpuParallelism(), (module) =>
    finishOne({ module, built: join(objtree, module), installed: join(moduleDir, 'kernel', module), finish }),
  );
}

/**
 * With CONFIG_MODULE_SIG_ALL, modules_install signs every module with CONFIG_MODULE_SIG_KEY, which
 * scripts/Makefile.modinst looks up in the object tree, else in the source tree. The build makes the
 * key private (0600): whoever packages must be able to read it, and sign-file's own error says only
 * "Permission denied" halfway through the install.
 */
async function assertSigningKeyReadable(ctx: KernelMakeContext): Promise<void> {
  if (!isEnabled(ctx.tree.config, 'MODULE_SIG_ALL')) return;
  const path = await moduleSigningKey(ctx);
  if (path.startsWith('pkcs11:')) return;
  try {
    await access(path, constants.R_OK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EACCES') return; // a missing key is the kernel make's to report
    throw new KpkgError(
      `modules_install signs every module (CONFIG_MODULE_SIG_ALL) with ${path}, which this user cannot read`,
      {
        where: path,
        hint: 'run kpkg as the user who built the kernel (the key is private to it), or give this user read access to the key',
      },
    );
  }
}
