/**
 * headers-incomplete / headers-btf-skipped: does each headers tree have what
 * `make -C <tree> M=<dir> modules` runs or reads? Files are looked up through symlinks across the
 * whole package set, in the tree and then in its source directory.
 */
import { packagingFeatures } from '../../kernel/features.js';
import type { ArchInfo } from '../../arch/arch-table.js';
import type { FileSet, Resolution } from '../file-set.js';
import { finding, type CheckResult, type Finding } from '../findings.js';
import type { HeadersTree } from '../headers-trees.js';

interface Requirement {
  /** Relative to the tree. */
  path: string;
  why: string;
  /** Also found in the source directory (Debian's -common holds the Makefiles). */
  inSource?: boolean;
}

/**
 * The .so each GCC plugin symbol builds (scripts/Makefile.gcc-plugins, 5.x to 6.12); sub-options
 * such as GCC_PLUGIN_STRUCTLEAK_BYREF are not plugins and are absent here.
 */
const GCC_PLUGIN_FILES: Readonly<Record<string, string>> = {
  LATENT_ENTROPY: 'latent_entropy_plugin.so',
  STRUCTLEAK: 'structleak_plugin.so',
  STACKLEAK: 'stackleak_plugin.so',
  ARM_SSP_PER_TASK: 'arm_ssp_per_task_plugin.so',
  SANCOV: 'sancov_plugin.so',
  RANDSTRUCT: 'randomize_layout_plugin.so',
  CYC_COMPLEXITY: 'cyc_complexity_plugin.so',
};

const RESOLVE_BTFIDS = 'tools/bpf/resolve_btfids/resolve_btfids';

function requirements(tree: HeadersTree, arch: ArchInfo | undefined): Requirement[] {
  const features = packagingFeatures(tree.config);
  const config = tree.configFile ?? 'the configuration';
  const list: Requirement[] = [
    { path: 'Makefile', why: 'the top-level Makefile every external module build runs', inSource: true },
    { path: 'Module.symvers', why: "modpost checks a module's symbols (and their CRCs) against it" },
    { path: 'include/config/auto.conf', why: 'Kbuild reads the kernel configuration from it' },
    { path: 'include/config/kernel.release', why: 'the kernel release the modules are built for' },
    { path: 'scripts/basic/fixdep', why: 'Kbuild runs it after compiling every object' },
    { path: 'scripts/mod/modpost', why: 'Kbuild runs it for every module build' },
  ];
  if (arch !== undefined) list.push({ path: `arch/${arch.srcArch}/Makefile`, why: 'the architecture flags every build includes', inSource: true });
  if (features.objtool) {
    list.push({ path: 'tools/objtool/objtool', why: `${config} enables objtool (CONFIG_OBJTOOL or CONFIG_STACK_VALIDATION), which runs on every module object` });
  }
  for (const plugin of features.gccPlugins) {
    const file = GCC_PLUGIN_FILES[plugin];
    if (file !== undefined) list.push({ path: `scripts/gcc-plugins/${file}`, why: `${config} enables CONFIG_GCC_PLUGIN_${plugin}; gcc loads the plugin for every module object` });
  }
  return list;
}

function located(set: FileSet, tree: HeadersTree, req: Requirement): { found: boolean; tried: Resolution } {
  const tried = set.resolve(`${tree.root}/${req.path}`);
  if (tried.kind === 'file') return { found: true, tried };
  if (req.inSource === true && tree.sourceDir !== undefined) {
    const inSource = set.resolve(`${tree.sourceDir}/${req.path}`);
    if (inSource.kind === 'file') return { found: true, tried: inSource };
  }
  return { found: false, tried };
}

function missingMessage(tree: HeadersTree, req: Requirement, tried: Resolution): string {
  const base = `${req.path} is missing from the headers tree ${tree.root}: ${req.why}`;
  if (tried.via.length === 0) return tried.kind === 'missing' ? base : `${base} (it is a ${tried.kind}, not a file)`;
  // Reached through symlinks into a package that is not in the set (Debian's linux-kbuild).
  return `${base}; the path leads through ${tried.via.join(', ')} to ${tried.path}, which none of the verified packages ships (verify the package that ships it together with this one)`;
}

export function checkHeadersComplete(set: FileSet, trees: readonly HeadersTree[], arch: ArchInfo | undefined): CheckResult {
  if (trees.length === 0) return { id: 'headers-incomplete', applicable: false, findings: [], note: 'no headers tree in these packages' };
  const findings: Finding[] = [];
  for (const tree of trees) {
    for (const req of requirements(tree, arch)) {
      const { found, tried } = located(set, tree, req);
      if (!found) findings.push(finding('headers-incomplete', missingMessage(tree, req, tried), { path: `${tree.root}/${req.path}`, package: tree.package }));
    }
  }
  return { id: 'headers-incomplete', applicable: true, findings, note: `${trees.length} headers tree${trees.length === 1 ? '' : 's'}: ${trees.map((t) => t.root).join(', ')}` };
}

/**
 * scripts/Makefile.modfinal runs resolve_btfids on a module only when the tree has vmlinux:
 * without vmlinux it skips BTF for the module ("Skipping BTF generation ... due to
 * unavailability of vmlinux"), so resolve_btfids is then not needed, but the modules get no BTF.
 */
export function checkBtf(set: FileSet, trees: readonly HeadersTree[]): { incomplete: Finding[]; btf: CheckResult } {
  const incomplete: Finding[] = [];
  const notes: Finding[] = [];
  const relevant = trees.filter((t) => packagingFeatures(t.config).debugInfoBtfModules);
  for (const tree of relevant) {
    const hasVmlinux = set.resolve(`${tree.root}/vmlinux`).kind === 'file';
    const tool = set.resolve(`${tree.root}/${RESOLVE_BTFIDS}`);
    if (tool.kind === 'file') continue;
    if (hasVmlinux) {
      incomplete.push(
        finding('headers-incomplete', `${RESOLVE_BTFIDS} is missing from the headers tree ${tree.root}: CONFIG_DEBUG_INFO_BTF_MODULES is set and vmlinux is shipped, so every module build runs it`, {
          path: `${tree.root}/${RESOLVE_BTFIDS}`,
          package: tree.package,
        }),
      );
    } else {
      notes.push(
        finding('headers-btf-skipped', `CONFIG_DEBUG_INFO_BTF_MODULES is set, but ${tree.root} ships neither vmlinux nor resolve_btfids: external modules are built without BTF (scripts/Makefile.modfinal skips it)`, {
          path: tree.root,
          package: tree.package,
        }),
      );
    }
  }
  if (relevant.length === 0) return { incomplete, btf: { id: 'headers-btf-skipped', applicable: false, findings: [], note: 'no headers tree with CONFIG_DEBUG_INFO_BTF_MODULES' } };
  return { incomplete, btf: { id: 'headers-btf-skipped', applicable: true, findings: notes } };
}
