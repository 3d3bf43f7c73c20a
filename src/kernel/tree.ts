import { join, resolve } from 'node:path';
import { KpkgError } from '../util/errors.js';
import { srcArchOf } from '../arch/kconfig.js';
import { isDirectory, isFile, readTextOrUndefined, readlinkOrUndefined } from '../util/fs.js';
import { parseKconfig, type KconfigValues } from './kconfig.js';
import type { MakeVars } from './make-vars.js';

/** A configured and built kernel tree, as Kbuild sees it: the object tree and the source tree. */
export interface KernelTree {
  /** The object tree (`O=` directory, or the source tree for in-tree builds). */
  objtree: string;
  /** The source tree. Equal to objtree for in-tree builds. */
  srctree: string;
  /** True when built with `O=` (objtree ≠ srctree). */
  separateObjtree: boolean;
  /** `include/config/kernel.release`, e.g. `6.1.192`. */
  release: string;
  /** VERSION.PATCHLEVEL.SUBLEVEL from the source Makefile, e.g. [6, 1, 192]. */
  version: readonly [number, number, number];
  /** The ARCH the tree was configured with (`.config` header), e.g. `arm64`, `x86_64`. */
  kernelArch: string;
  /** The arch/ directory: ARCH with the top Makefile's aliases folded (x86_64 → x86). */
  srcArch: string;
  /** include/config/auto.conf: the configuration the build really used. */
  config: KconfigValues;
}

export interface OpenTreeOptions {
  buildDir: string;
  sourceDir?: string | undefined;
  vars?: MakeVars;
}

/** A source tree has the top Makefile that sets VERSION/PATCHLEVEL and a Kconfig. */
async function kernelVersionOf(srctree: string): Promise<[number, number, number] | undefined> {
  const makefile = await readTextOrUndefined(join(srctree, 'Makefile'));
  if (makefile === undefined || !(await isFile(join(srctree, 'Kconfig')))) return undefined;
  const field = (name: string): number | undefined => {
    const m = new RegExp(`^${name}\\s*=\\s*(\\d+)\\s*$`, 'm').exec(makefile);
    return m?.[1] === undefined ? undefined : Number(m[1]);
  };
  const v = field('VERSION');
  const p = field('PATCHLEVEL');
  const s = field('SUBLEVEL');
  return v === undefined || p === undefined || s === undefined ? undefined : [v, p, s];
}

/**
 * Where the source tree of an object tree is. An `O=` build has a `source` symlink and a generated
 * Makefile that includes the source Makefile (both written by the top Makefile's outputmakefile rule).
 */
async function findSrctree(objtree: string): Promise<string | undefined> {
  const link = await readlinkOrUndefined(join(objtree, 'source'));
  if (link !== undefined) return resolve(objtree, link);
  if ((await kernelVersionOf(objtree)) !== undefined) return objtree; // in-tree build (or not built at all)
  // The generated Makefile of an O= tree is a single include of the source tree's Makefile.
  const makefile = await readTextOrUndefined(join(objtree, 'Makefile'));
  const include = makefile === undefined ? undefined : /^include\s+(\/\S+)\/Makefile\s*$/m.exec(makefile);
  return include?.[1] === undefined ? undefined : resolve(objtree, include[1]);
}

function makeCommand(vars: MakeVars | undefined, objtree: string, srctree: string, target: string): string {
  const arch = vars?.ARCH ?? '<arch>';
  const cross = vars?.CROSS_COMPILE === undefined ? '' : ` CROSS_COMPILE=${vars.CROSS_COMPILE}`;
  const llvm = vars?.LLVM === undefined ? '' : ` LLVM=${vars.LLVM}`;
  const where = objtree === srctree ? `-C ${srctree}` : `-C ${srctree} O=${objtree}`;
  return `make ${where} ARCH=${arch}${cross}${llvm} ${target}`;
}

/** The ARCH recorded in the `.config` header ("Linux/arm64 6.1.192 Kernel Configuration", top Kconfig's mainmenu). */
function archFromConfigHeader(dotConfig: string): string | undefined {
  return /^# Linux\/(\S+) /m.exec(dotConfig)?.[1];
}

/**
 * Opens a built kernel tree: finds the source tree, reads the release, the ARCH and the configuration,
 * and explains precisely what is missing when the directory is not a kernel, not configured, or not built.
 */
export async function openKernelTree(options: OpenTreeOptions): Promise<KernelTree> {
  const objtree = resolve(options.buildDir);
  if (!(await isDirectory(objtree))) {
    throw new KpkgError(`build directory ${objtree} does not exist`, {
      where: objtree,
      hint: 'pass the kernel object tree with --build-dir DIR',
    });
  }
  const srctree = options.sourceDir === undefined ? await findSrctree(objtree) : resolve(options.sourceDir);
  const version = srctree === undefined ? undefined : await kernelVersionOf(srctree);
  if (srctree === undefined || version === undefined) {
    const what =
      options.sourceDir === undefined
        ? `${objtree} is not a Linux kernel tree`
        : `${srctree ?? ''} is not a Linux kernel source tree`;
    throw new KpkgError(
      `${what}: no kernel Makefile (VERSION/PATCHLEVEL/SUBLEVEL) and Kconfig, and no 'source' link to one`,
      {
        where: srctree ?? objtree,
        hint: 'point --build-dir at the directory you built the kernel in (the O= directory, or the source tree for in-tree builds); give --source-dir when the source tree cannot be found from it',
      },
    );
  }

  const dotConfig = await readTextOrUndefined(join(objtree, '.config'));
  if (dotConfig === undefined) {
    throw new KpkgError(`.config not found in ${objtree}: this tree is not configured`, {
      where: join(objtree, '.config'),
      hint: `configure and build it first, e.g. \`${makeCommand(options.vars, objtree, srctree, 'defconfig')}\` then \`${makeCommand(options.vars, objtree, srctree, '-j$(nproc)')}\``,
    });
  }
  const kernelArch = options.vars?.ARCH ?? archFromConfigHeader(dotConfig);
  const headerArch = archFromConfigHeader(dotConfig);
  if (kernelArch === undefined) {
    throw new KpkgError(`cannot tell the ARCH of ${objtree}: the .config header has no "Linux/<arch>" line`, {
      where: join(objtree, '.config'),
      hint: 'pass ARCH=<arch> as an argument or in the environment',
    });
  }
  if (headerArch !== undefined && srcArchOf(headerArch) !== srcArchOf(kernelArch)) {
    throw new KpkgError(`ARCH=${kernelArch} does not match the tree, which is configured for ${headerArch}`, {
      where: join(objtree, '.config'),
      hint: `drop ARCH= or pass ARCH=${headerArch}`,
    });
  }

  const release = (await readTextOrUndefined(join(objtree, 'include/config/kernel.release')))?.trim();
  const autoConf = await readTextOrUndefined(join(objtree, 'include/config/auto.conf'));
  if (release === undefined || release === '' || autoConf === undefined) {
    throw new KpkgError(`include/config/kernel.release not found in ${objtree}: the tree is configured but not built`, {
      where: join(objtree, 'include/config/kernel.release'),
      hint: `build it first: \`${makeCommand({ ...options.vars, ARCH: kernelArch }, objtree, srctree, '-j$(nproc)')}\``,
    });
  }

  // The release begins with the source tree's KERNELVERSION (top Makefile: VERSION.PATCHLEVEL.SUBLEVEL
  // then EXTRAVERSION; scripts/setlocalversion appends the rest), so another kernel's sources show.
  const sourceVersion = version.join('.');
  if (!release.startsWith(sourceVersion) || /^\d/.test(release.charAt(sourceVersion.length))) {
    throw new KpkgError(
      `${objtree} was built as Linux ${release}, but the source tree ${srctree} is Linux ${sourceVersion}`,
      {
        where: srctree,
        hint:
          options.sourceDir === undefined
            ? `point the build directory's source link at the sources it was built from`
            : `pass the --source-dir the tree was built from, or drop it (the build directory's source link names it)`,
      },
    );
  }

  return {
    objtree,
    srctree,
    separateObjtree: srctree !== objtree,
    release,
    version,
    kernelArch,
    srcArch: srcArchOf(kernelArch),
    config: parseKconfig(autoConf),
  };
}

/** Absolute path of a file in the object tree. */
export function inObjtree(tree: KernelTree, relative: string): string {
  return join(tree.objtree, relative);
}
