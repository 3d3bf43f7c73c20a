import { join } from 'node:path';
import { KpkgError } from '../../util/errors.js';
import { isFile } from '../../util/fs.js';
import type { PackagingFeatures } from '../features.js';
import type { KernelTree } from '../tree.js';
import { findDirs, walk, type FoundEntry } from './walk.js';
import { assertShippableEntries } from './unsafe-entries.js';

/** One file of the headers tree: where it goes (path) and where it comes from. */
export interface HeadersEntry extends FoundEntry {
  origin: 'srctree' | 'objtree' | 'kpkg';
}

/**
 * The external-module build tree: what `make -C <this> M=<dir> modules` needs on the target.
 *
 * The selection follows Linux 6.12's scripts/package/install-extmod-build for every kernel version,
 * so older kernels get the same lean tree. Differences from what older kernels' own packaging ships
 * (scripts/package/builddeb's deploy_kernel_headers in ≤ 6.11):
 * - 6.1 and earlier copy all of scripts/, including kconfig/, dtc/ and their host binaries; external
 *   module builds use neither, so they are left out here as 6.12 does.
 * - 6.1 and earlier ship objtool but never resolve_btfids, so BTF-enabled module builds fail on
 *   their headers; kpkg ships it whenever CONFIG_DEBUG_INFO_BTF_MODULES is set.
 * - kpkg keeps `.config`, which ≤ 6.11 shipped and 6.12 dropped: DKMS and vendor Makefiles commonly
 *   read `$(KDIR)/.config`.
 */
export interface HeadersManifest {
  entries: HeadersEntry[];
}

/** scripts/ subdirectories and files external module builds never use (install-extmod-build's find_in_scripts). */
const SCRIPTS_PRUNED_DIRS = new Set(['atomic', 'dtc', 'kconfig', 'package']);
const SCRIPTS_SKIPPED_FILES = new Set(['unifdef', 'mk_elfconfig']);

function scriptsRules(): Parameters<typeof walk>[2] {
  return {
    pruneDir: (_rel, name) => SCRIPTS_PRUNED_DIRS.has(name),
    keep: (_rel, name) => !SCRIPTS_SKIPPED_FILES.has(name),
  };
}

/**
 * Build intermediates that stay behind wherever they are: objects and Kbuild's command records
 * (install-extmod-build deletes both from the whole tree), and modpost's generated assembly
 * scripts/mod/devicetable-offsets.s, which upstream ships but nothing on the target reads; like the
 * .cmd files, it names the build machine's paths.
 */
function isBuildIntermediate(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    name.endsWith('.o') ||
    (name.startsWith('.') && name.endsWith('.cmd')) ||
    path === 'scripts/mod/devicetable-offsets.s'
  );
}

async function sourceEntries(tree: KernelTree): Promise<FoundEntry[]> {
  const { srctree, srcArch } = tree;
  const arch = `arch/${srcArch}`;
  const archTop = await walk(srctree, arch, {
    pruneDir: () => true,
    keep: (_rel, name) => name.startsWith('Makefile'),
  });
  const archIncludes = await findDirs(srctree, arch, 'include', new Set(['generated']));
  const platformFiles = await walk(srctree, arch, {
    keep: (_rel, name) => name === 'Kbuild.platforms' || name === 'Platform',
  });
  const lists = await Promise.all([
    walk(srctree, 'Makefile'),
    ...archIncludes.map((dir) => walk(srctree, dir)),
    walk(srctree, 'include', { pruneDir: (_rel, name) => name === 'config' || name === 'generated' }),
    walk(srctree, 'scripts', scriptsRules()),
  ]);
  return [...archTop, ...platformFiles, ...lists.flat()];
}

async function objectEntries(tree: KernelTree, features: PackagingFeatures): Promise<FoundEntry[]> {
  const { objtree, srcArch } = tree;
  const required = async (rel: string, hint: string): Promise<FoundEntry[]> => {
    const found = await walk(objtree, rel);
    if (found.length === 0) {
      throw new KpkgError(`${rel} not found in ${objtree}: the headers package needs it`, {
        where: join(objtree, rel),
        hint,
      });
    }
    return found;
  };
  const build = `run the kernel build to the end: \`make ARCH=${tree.kernelArch} ... -j$(nproc)\` in ${objtree}`;
  const lists = await Promise.all([
    features.objtool ? required('tools/objtool/objtool', build) : [],
    features.debugInfoBtfModules ? required('tools/bpf/resolve_btfids/resolve_btfids', build) : [],
    features.modules
      ? required('Module.symvers', `${build} (Module.symvers is written by modpost after the modules are linked)`)
      : walk(objtree, 'Module.symvers'),
    required('.config', build),
    walk(objtree, `arch/${srcArch}/include/generated`),
    required('include/config/auto.conf', build),
    required('include/config/kernel.release', build),
    required('include/generated', build),
    walk(objtree, 'scripts', scriptsRules()),
  ]);
  return lists.flat();
}

/**
 * Lists the headers tree of a built kernel: source files first, then the object tree's files, which
 * win where both have a path (in-tree builds, where the two trees are one).
 */
export async function headersManifest(tree: KernelTree, features: PackagingFeatures): Promise<HeadersManifest> {
  if (!(await isFile(join(tree.objtree, 'scripts/basic/fixdep')))) {
    throw new KpkgError(`scripts/basic/fixdep not found in ${tree.objtree}: the kernel was not built`, {
      where: join(tree.objtree, 'scripts/basic/fixdep'),
      hint: `build it first: \`make ARCH=${tree.kernelArch} -j$(nproc)\` (or at least \`modules_prepare\`)`,
    });
  }
  const byPath = new Map<string, HeadersEntry>();
  for (const e of await sourceEntries(tree)) byPath.set(e.path, { ...e, origin: 'srctree' });
  for (const e of await objectEntries(tree, features)) byPath.set(e.path, { ...e, origin: 'objtree' });
  const entries = [...byPath.values()]
    .filter((e) => !isBuildIntermediate(e.path))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  assertShippableEntries(entries, (e) => (e.origin === 'srctree' ? tree.srctree : tree.objtree));
  return { entries };
}
