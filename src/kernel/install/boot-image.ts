/**
 * The boot image a built tree installs, found the way scripts/package/builddeb finds it: the path
 * `make -s image_name` prints (the arch Makefile's KBUILD_IMAGE, e.g. arch/arm64/boot/Image.gz),
 * relative to the object tree. The arch table's bootImageForConfig is the plan; this is the tree.
 */
import { isAbsolute, join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { isFile } from '../../util/fs.js';
import { runKernelMake, type KernelMakeContext } from './kernel-make.js';

export interface BootImageFile {
  /** As make printed it, e.g. arch/arm64/boot/Image.gz. */
  name: string;
  /** Absolute path in the object tree. */
  path: string;
}

export async function findBootImage(ctx: KernelMakeContext): Promise<BootImageFile> {
  const name = (await runKernelMake(ctx, ['image_name'])).trim().split('\n').pop()?.trim() ?? '';
  if (name === '')
    throw new KpkgError('`make image_name` printed nothing: cannot tell which boot image this tree installs', {
      where: ctx.tree.objtree,
    });
  const path = isAbsolute(name) ? name : join(ctx.tree.objtree, name);
  if (!(await isFile(path))) {
    throw new KpkgError(`the boot image ${name} has not been built`, {
      where: path,
      hint: `build it in the kernel tree: make ${ctx.tree.objtree === ctx.tree.srctree ? '' : `O=${ctx.tree.objtree} `}ARCH=${ctx.tree.kernelArch} ${name.slice(name.lastIndexOf('/') + 1)}`,
    });
  }
  return { name, path };
}
