/**
 * The debug info of the modules, split off for linux-image-<release>-dbg as 6.12's
 * scripts/package/builddeb does: for every module in modules.order, `objcopy --only-keep-debug` of
 * the module as built (not as installed: modules_install may strip, sign and compress it), plus the
 * module's GNU build ID, which names its /usr/lib/debug/.build-id/ link.
 */
import { execa } from 'execa';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { isFile, readTextOrUndefined } from '../../util/fs.js';
import { cpuParallelism, mapLimit } from '../../util/pool.js';
import { quoteWord } from '../../util/shell-words.js';
import { readBuildId } from './build-id.js';
import { missingToolHint, type KernelMakeContext } from './kernel-make.js';

export interface ModuleDebugFile {
  /** Path below /lib/modules/<release>, e.g. kernel/lib/crc-ccitt.ko (never with a compression suffix). */
  module: string;
  /** The debug-only ELF file written into the staging directory. */
  file: string;
  size: number;
  /** Hex GNU build ID of the module, when it has one. */
  buildId: string | undefined;
}

/**
 * The modules of the tree, relative to the object tree, from modules.order: 6.1 lists
 * "lib/crc-ccitt.ko", 6.12 lists the objects, "lib/crc-ccitt.o" (scripts/Makefile.modinst).
 */
export async function modulesInOrder(objtree: string): Promise<string[]> {
  const text = await readTextOrUndefined(join(objtree, 'modules.order'));
  if (text === undefined) return [];
  return [
    ...new Set(
      text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '')
        .map((l) => `${l.replace(/\.(?:o|ko)$/, '')}.ko`),
    ),
  ];
}

/** Writes <dest>/kernel/<module> for every module (dest stands for /usr/lib/debug/lib/modules/<release>). */
export async function extractModuleDebugInfo(
  ctx: KernelMakeContext,
  dest: string,
  options: { jobs?: number } = {},
): Promise<ModuleDebugFile[]> {
  const objcopy = ctx.toolchain.tools.objcopy;
  const modules = await modulesInOrder(ctx.tree.objtree);
  return mapLimit(modules, options.jobs ?? cpuParallelism(), async (relative) => {
    const built = join(ctx.tree.objtree, relative);
    if (!(await isFile(built))) {
      throw new KpkgError(`${relative} is listed in modules.order but was not built`, {
        where: built,
        hint: 'finish the kernel build (make modules)',
      });
    }
    const module = `kernel/${relative}`;
    const file = join(dest, module);
    await mkdir(dirname(file), { recursive: true });
    const argv = [objcopy, '--only-keep-debug', built, file];
    ctx.onCommand?.(argv.map(quoteWord).join(' '));
    const r = await execa(objcopy, argv.slice(1), { reject: false, stdin: 'ignore', all: true });
    if (r.exitCode !== 0 || r.failed) {
      const missing = (r as { code?: string }).code === 'ENOENT';
      throw new KpkgError(
        missing
          ? `${objcopy} is not installed`
          : `${argv.map(quoteWord).join(' ')} failed:\n${(r.all ?? '').trim().split('\n').slice(-10).join('\n')}`,
        {
          where: built,
          hint: missing
            ? `install the binutils the kernel was built with (${missingToolHint(`${objcopy}: not found`) ?? 'apt-get install binutils-multiarch'})`
            : 'check that the module is a complete ELF file',
        },
      );
    }
    return { module, file, size: (await stat(file)).size, buildId: await readBuildId(built) };
  });
}
