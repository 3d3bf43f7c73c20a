/**
 * What a built kernel provides for packaging, part by part — kernel knowledge only, no package
 * names or install paths (those are a distribution layout's, src/layouts/):
 *  - image: the boot image, System.map, .config, the modules as modules_install lays them out
 *    and the device trees as dtbs_install does;
 *  - headers: the external-module tree with its host programs rebuilt for the target (StagedHeaders);
 *  - uapi: the userspace API headers headers_install writes;
 *  - debug: vmlinux and each module's debug info.
 */
import type { StagedHeaders } from './headers/stage.js';
import type { ModuleDebugFile } from './install/debug-info.js';
import type { StagedItem } from './install/staged-tree.js';

export type KernelPart = 'image' | 'headers' | 'uapi' | 'debug';

/** A file of the built tree shipped as it is. */
export interface TreeFile {
  /** Absolute path on disk. */
  source: string;
  size: number;
}

export interface ImageContents {
  release: string;
  /**
   * The boot image (what `make image_name` names) and the name installkernel-style layouts give
   * it in /boot, e.g. vmlinuz-<release> (vmlinux-<release> for uncompressed ELF images).
   */
  bootImage: TreeFile & { bootName: string };
  systemMap: TreeFile;
  /** The configuration the kernel was built with (.config). */
  config: TreeFile;
  /** What modules_install staged, relative to INSTALL_MOD_PATH (lib/modules/<release>/...); empty without CONFIG_MODULES. */
  modules: readonly StagedItem[];
  /** What dtbs_install staged, relative to INSTALL_DTBS_PATH; empty for architectures without device trees. */
  dtbs: readonly StagedItem[];
  /** CONFIG_BLK_DEV_INITRD: tells initramfs-tools and dracut hooks whether to build an initramfs. */
  initrd: boolean;
}

export interface DebugContents {
  /** The unstripped kernel ELF image. */
  vmlinux: TreeFile;
  modules: readonly ModuleDebugFile[];
}

/** The parts staged for one run: those the chosen packages need. */
export interface KernelParts {
  image?: ImageContents;
  headers?: StagedHeaders;
  uapi?: readonly StagedItem[];
  debug?: DebugContents;
  /** System.map, .config and vmlinux of the tree, which some layouts ship beside the parts. */
  systemMap: TreeFile;
  config: TreeFile;
  vmlinux: TreeFile;
}

/**
 * The files depmod writes next to the modules (modules.dep, the aliases, ...; kmod's
 * tools/depmod.c depfiles table). Layouts whose package manager runs depmod on install
 * (kernel.spec, PKGBUILD: DEPMOD=true) leave them out of the package.
 */
export const DEPMOD_OUTPUTS: readonly string[] = [
  'alias',
  'alias.bin',
  'builtin.alias.bin',
  'builtin.bin',
  'dep',
  'dep.bin',
  'devname',
  'softdep',
  'symbols',
  'symbols.bin',
  'weakdep',
].map((x) => `modules.${x}`);
