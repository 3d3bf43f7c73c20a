import { hostIdentity } from '../arch/host.js';
import { describeIdentity, identityOf, sameIdentity, type ElfIdentity } from '../elf/identity.js';
import { machineName, readElfFile } from '../elf/elf.js';
import { KpkgError } from '../util/errors.js';
import { isFile } from '../util/fs.js';
import type { ArchInfo } from '../arch/arch-table.js';
import { archForKernelConfig, bootImageForConfig } from '../arch/kconfig.js';
import { packagingFeatures, type PackagingFeatures } from './features.js';
import type { MakeVars } from './make-vars.js';
import { readToolchain, type Toolchain } from './toolchain.js';
import { inObjtree, openKernelTree, type KernelTree, type OpenTreeOptions } from './tree.js';

/** Everything kpkg knows about a built tree before it plans a package. */
export interface TreeFacts {
  tree: KernelTree;
  arch: ArchInfo;
  /** The target's ELF identity, from the arch table and, when vmlinux exists, confirmed by it. */
  target: ElfIdentity;
  vmlinux: 'agrees' | 'absent';
  toolchain: Toolchain;
  /** The target ELF identity differs from the machine kpkg runs on. */
  cross: boolean;
  build: ElfIdentity;
  features: PackagingFeatures;
  artifacts: { moduleSymvers: boolean; vmlinux: boolean; bootImage: { path: string; present: boolean } };
}

export async function readTreeFacts(options: OpenTreeOptions & { vars?: MakeVars }): Promise<TreeFacts> {
  const tree = await openKernelTree(options);
  const arch = archForKernelConfig(tree.kernelArch, tree.config);
  const vmlinuxPath = inObjtree(tree, 'vmlinux');
  const vmlinuxElf = (await isFile(vmlinuxPath)) ? await readElfFile(vmlinuxPath) : undefined;
  if (vmlinuxElf !== undefined && vmlinuxElf.kind !== 'elf') {
    throw new KpkgError(
      `${vmlinuxPath} is not a readable ELF file (${vmlinuxElf.kind}): the build is incomplete or damaged`,
      {
        where: vmlinuxPath,
        hint: 'rebuild the kernel',
      },
    );
  }
  // arch/arm/Makefile builds the kernel with -msoft-float, so an armhf vmlinux is marked soft-float:
  // the float ABI is a userspace property and is not compared here.
  if (vmlinuxElf !== undefined && !sameIdentity(identityOf(vmlinuxElf.elf), arch.elf, { compareFloatAbi: false })) {
    const found = describeIdentity(identityOf(vmlinuxElf.elf));
    throw new KpkgError(
      `vmlinux is ${found}, but the configuration says ${arch.debian} (${describeIdentity(arch.elf)})`,
      {
        where: vmlinuxPath,
        hint: 'the tree mixes two builds: rebuild it with one ARCH (make mrproper, then configure and build again)',
      },
    );
  }
  const build = hostIdentity();
  const bootImage = bootImageForConfig(arch, tree.config);
  return {
    tree,
    arch,
    target: arch.elf,
    vmlinux: vmlinuxElf === undefined ? 'absent' : 'agrees',
    toolchain: await readToolchain(tree, options.vars),
    cross: !sameIdentity(arch.elf, build),
    build,
    features: packagingFeatures(tree.config),
    artifacts: {
      moduleSymvers: await isFile(inObjtree(tree, 'Module.symvers')),
      vmlinux: vmlinuxElf !== undefined,
      bootImage: { path: bootImage.builtPath, present: await isFile(inObjtree(tree, bootImage.builtPath)) },
    },
  };
}

/** The stable JSON shape of `kpkg inspect --json`. */
export function inspectReport(facts: TreeFacts): Record<string, unknown> {
  const { tree, arch, toolchain, features } = facts;
  return {
    objtree: tree.objtree,
    srctree: tree.srctree,
    separateObjtree: tree.separateObjtree,
    release: tree.release,
    version: tree.version.join('.'),
    arch: tree.kernelArch,
    srcarch: tree.srcArch,
    debianArch: arch.debian,
    gnuTriplet: arch.gnuTriplet,
    target: {
      machine: arch.elf.machine,
      machineName: machineName(arch.elf.machine),
      class: arch.elf.class,
      endian: arch.elf.endian,
      armFloat: arch.elf.armFloat ?? null,
      description: describeIdentity(arch.elf),
      vmlinux: facts.vmlinux,
    },
    compiler: {
      kind: toolchain.kind,
      versionText: toolchain.versionText,
      version: toolchain.version,
      cc: toolchain.cc.join(' '),
      crossPrefix: toolchain.crossPrefix,
      clangTarget: toolchain.clangTarget ?? null,
      llvm: toolchain.llvm,
      hostcc: toolchain.hostcc.join(' '),
      ccCanLink: toolchain.ccCanLink,
    },
    cross: facts.cross,
    buildMachine: describeIdentity(facts.build),
    features: {
      modules: features.modules,
      modversions: features.modversions,
      moduleSig: features.moduleSig.enabled,
      moduleSigAll: features.moduleSig.all,
      moduleSigHash: features.moduleSig.hash ?? null,
      objtool: features.objtool,
      debugInfo: features.debugInfo,
      debugInfoBtfModules: features.debugInfoBtfModules,
      gendwarfksyms: features.gendwarfksyms,
      gccPlugins: features.gccPlugins,
      randstruct: features.randstruct,
    },
    artifacts: {
      moduleSymvers: facts.artifacts.moduleSymvers,
      vmlinux: facts.artifacts.vmlinux,
      bootImage: facts.artifacts.bootImage.present ? facts.artifacts.bootImage.path : null,
    },
  };
}
