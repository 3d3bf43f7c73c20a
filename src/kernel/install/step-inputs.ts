/**
 * What each kernel install step reads, so that its output can be cached under the state of those
 * inputs (src/cache/fingerprint.ts) and made again whenever one of them changes. Generous by
 * design: a whole directory of the kernel's scripts counts where one script of it is read, since
 * counting too much only costs a cache miss and counting too little would ship stale files.
 */
import { isAbsolute, join } from 'node:path';
import type { StepInputs } from '../../cache/fingerprint.js';
import { configValue, isEnabled } from '../kconfig.js';
import { kernelMakeArgs, type KernelMakeContext } from './kernel-make.js';
import type { ModuleFinish } from './module-finish.js';

/**
 * Files of the kernel's own build logic every make run reads: the top Makefile, the arch's, scripts/.
 * Not the object tree's Makefile: every make of an O= tree writes it again (the top Makefile's
 * outputmakefile, "GEN Makefile"), the same two lines naming the source tree, and counting it would
 * make every step run again after any incremental build.
 */
function buildLogic(ctx: KernelMakeContext): { files: string[]; trees: string[] } {
  const { srctree, objtree, srcArch } = ctx.tree;
  return {
    files: [
      join(srctree, 'Makefile'),
      join(objtree, '.config'),
      join(objtree, 'include/config/auto.conf'),
      join(objtree, 'include/config/kernel.release'),
    ],
    trees: [join(srctree, 'scripts'), join(srctree, 'arch', srcArch, 'Makefile')],
  };
}

/**
 * modules_install: the modules of modules.order (scripts/Makefile.modinst copies them; module-finish.ts
 * strips and signs them), modules.builtin*, System.map for depmod (scripts/depmod.sh), the signing key
 * and sign-file (CONFIG_MODULE_SIG_ALL), and the programs these run.
 */
export function modulesInstallInputs(
  ctx: KernelMakeContext,
  modules: readonly string[],
  moduleStrip: string,
): StepInputs {
  const { tree, toolchain } = ctx;
  const { srctree, objtree, config } = tree;
  const logic = buildLogic(ctx);
  const key = configValue(config, 'MODULE_SIG_KEY') ?? 'certs/signing_key.pem';
  return {
    words: ['modules-install 2', ...kernelMakeArgs(ctx), `INSTALL_MOD_STRIP=${moduleStrip}`],
    files: [
      ...logic.files,
      ...[
        'modules.order',
        'modules.builtin',
        'modules.builtin.modinfo',
        'System.map',
        'Module.symvers',
        'scripts/sign-file',
        'certs/signing_key.x509',
      ].map((f) => join(objtree, f)),
      ...(isEnabled(config, 'MODULE_SIG_ALL') && !key.startsWith('pkcs11:')
        ? [isAbsolute(key) ? key : join(objtree, key), join(srctree, key)]
        : []),
      // The modules as built (debug-info.ts modulesInOrder: modules.order's entries as .ko paths).
      ...modules.map((m) => join(objtree, m)),
    ],
    trees: logic.trees,
    programs: ['make', 'sh', 'depmod', 'kmod', 'xz', 'zstd', 'gzip', toolchain.tools.strip, toolchain.tools.objcopy],
  };
}

/**
 * One module stripped and signed (module-finish.ts): the module as built, the strip command, and
 * the signing key, its certificate and sign-file.
 */
export function moduleFinishInputs(built: string, finish: ModuleFinish): StepInputs {
  return {
    words: ['module-finish 1', ...(finish.strip ?? ['no strip']), ...(finish.sign ?? ['no signature'])],
    files: [built, ...finish.signInputs],
    programs: finish.strip?.slice(0, 1) ?? [],
  };
}

/**
 * dtbs_install and image_name (image-contents.ts installBootFiles): the built device trees and the
 * dts Makefiles (scripts/Makefile.dtbinst), and the build logic that names the boot image.
 */
export function bootFilesInputs(ctx: KernelMakeContext): StepInputs {
  const { srctree, objtree, srcArch, kernelArch } = ctx.tree;
  const logic = buildLogic(ctx);
  return {
    words: ['boot-files 1', ...kernelMakeArgs(ctx)],
    files: logic.files,
    trees: [...logic.trees, join(objtree, 'arch', kernelArch, 'boot', 'dts')],
    // What dtbs_install installs is the built .dtb files (above) as the dts Makefiles list them.
    named: [{ dir: join(srctree, 'arch', srcArch, 'boot', 'dts'), names: ['Makefile'] }],
    programs: ['make', 'sh'],
  };
}

/**
 * headers_install with a scratch object tree (uapi-headers.ts): it reads only the source tree — the
 * uapi directories, the arch's generated-header lists and syscall tables (all below arch/<srcarch>)
 * and scripts/ (headers_install.sh, unifdef.c, the syscall generators).
 */
export function uapiInstallInputs(ctx: KernelMakeContext): StepInputs {
  const { srctree, srcArch } = ctx.tree;
  return {
    words: ['headers-install', ...kernelMakeArgs(ctx, { objtree: '<scratch>' })],
    files: [join(srctree, 'Makefile')],
    // Of arch/<srcarch>, everything the generated headers come from: the uapi directories and their
    // Kbuild lists (include/), the syscall tables (kernel/syscalls: powerpc, s390, mips; entry/syscalls:
    // x86; tools/: arm) and the Makefiles; not the device trees below boot/.
    trees: [
      join(srctree, 'include', 'uapi'),
      ...['include', 'kernel', 'entry', 'tools', 'Makefile', 'Kbuild'].map((d) => join(srctree, 'arch', srcArch, d)),
      join(srctree, 'scripts'),
      join(srctree, 'usr'),
    ],
    programs: ['make', 'sh', 'sed', 'gcc', ctx.toolchain.tools.cc[0] ?? 'cc'],
  };
}
