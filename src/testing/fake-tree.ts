/**
 * Test helper (not used by kpkg itself): the KernelTree and Toolchain of a kernel that was never
 * built — for unit tests of steps that read only a few files of a tree, which they write themselves.
 */
import type { Toolchain } from '../kernel/toolchain.js';
import type { KernelTree } from '../kernel/tree.js';

/** An arm64 tree of release 6.1.0 at `objtree` (also its source tree unless `fields` says otherwise). */
export function fakeKernelTree(objtree: string, fields: Partial<KernelTree> = {}): KernelTree {
  return {
    objtree,
    srctree: objtree,
    separateObjtree: false,
    release: '6.1.0',
    version: [6, 1, 0],
    kernelArch: 'arm64',
    srcArch: 'arm64',
    config: new Map(),
    ...fields,
  };
}

/** A cross gcc for arm64 with GNU binutils (CROSS_COMPILE=aarch64-linux-gnu-). */
export function arm64GccToolchain(): Toolchain {
  const prefix = 'aarch64-linux-gnu-';
  const cc = [`${prefix}gcc`];
  return {
    kind: 'gcc',
    versionText: `${prefix}gcc (Debian 12.2.0-14) 12.2.0`,
    version: 120200,
    cc,
    crossPrefix: prefix,
    clangTarget: undefined,
    llvm: false,
    hostcc: ['gcc'],
    tools: {
      llvm: undefined,
      crossCompile: prefix,
      cc,
      cxx: [`${prefix}g++`],
      ld: `${prefix}ld`,
      ar: `${prefix}ar`,
      objcopy: `${prefix}objcopy`,
      strip: `${prefix}strip`,
    },
    ccCanLink: true,
    ccSource: 'config',
  };
}
