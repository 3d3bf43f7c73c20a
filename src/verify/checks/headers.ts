/**
 * headers-incomplete / headers-btf-skipped: does each headers tree have what
 * `make -C <tree> M=<dir> modules` runs or reads? Files are looked up through symlinks across the
 * whole package set, in the tree and then in its source directory. One check reports both ids:
 * a missing resolve_btfids is incompleteness (headers-incomplete), its absence together with
 * vmlinux only a note (headers-btf-skipped), and telling them apart is one look at the tree.
 */
import { packagingFeatures } from '../../kernel/features.js';
import type { ArchInfo } from '../../arch/arch-table.js';
import { checked, counted, notApplicable, type CheckOutcome, type VerifyCheck } from '../check.js';
import type { FileSet, Resolution } from '../../reader/file-set.js';
import { finding, type Finding } from '../findings.js';
import type { HeadersTree } from '../../reader/headers-trees.js';

type HeadersId = 'headers-incomplete' | 'headers-btf-skipped';

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
  if (arch !== undefined)
    list.push({
      path: `arch/${arch.srcArch}/Makefile`,
      why: 'the architecture flags every build includes',
      inSource: true,
    });
  if (features.objtool) {
    list.push({
      path: 'tools/objtool/objtool',
      why: `${config} enables objtool (CONFIG_OBJTOOL or CONFIG_STACK_VALIDATION), which runs on every module object`,
    });
  }
  for (const plugin of features.gccPlugins) {
    const file = GCC_PLUGIN_FILES[plugin];
    if (file !== undefined)
      list.push({
        path: `scripts/gcc-plugins/${file}`,
        why: `${config} enables CONFIG_GCC_PLUGIN_${plugin}; gcc loads the plugin for every module object`,
      });
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

/** The files external module builds need that a tree lacks. */
function missingRequirements(set: FileSet, trees: readonly HeadersTree[], arch: ArchInfo | undefined): Finding[] {
  const findings: Finding[] = [];
  for (const tree of trees) {
    for (const req of requirements(tree, arch)) {
      const { found, tried } = located(set, tree, req);
      if (!found)
        findings.push(
          finding('headers-incomplete', missingMessage(tree, req, tried), {
            path: `${tree.root}/${req.path}`,
            package: tree.package,
          }),
        );
    }
  }
  return findings;
}

/**
 * scripts/Makefile.modfinal runs resolve_btfids on a module only when the tree has vmlinux:
 * without vmlinux it skips BTF for the module ("Skipping BTF generation ... due to
 * unavailability of vmlinux"), so resolve_btfids is then not needed, but the modules get no BTF.
 */
function btfFinding(set: FileSet, tree: HeadersTree): Finding | undefined {
  if (set.resolve(`${tree.root}/${RESOLVE_BTFIDS}`).kind === 'file') return undefined;
  if (set.resolve(`${tree.root}/vmlinux`).kind === 'file') {
    const why = 'CONFIG_DEBUG_INFO_BTF_MODULES is set and vmlinux is shipped, so every module build runs it';
    return finding('headers-incomplete', `${RESOLVE_BTFIDS} is missing from the headers tree ${tree.root}: ${why}`, {
      path: `${tree.root}/${RESOLVE_BTFIDS}`,
      package: tree.package,
    });
  }
  const what = `CONFIG_DEBUG_INFO_BTF_MODULES is set, but ${tree.root} ships neither vmlinux nor resolve_btfids`;
  return finding(
    'headers-btf-skipped',
    `${what}: external modules are built without BTF (scripts/Makefile.modfinal skips it)`,
    {
      path: tree.root,
      package: tree.package,
    },
  );
}

export function checkHeaders(
  set: FileSet,
  trees: readonly HeadersTree[],
  arch: ArchInfo | undefined,
): Record<HeadersId, CheckOutcome> {
  const withBtf = trees.filter((t) => packagingFeatures(t.config).debugInfoBtfModules);
  const btf = withBtf.map((tree) => btfFinding(set, tree)).filter((f) => f !== undefined);
  const of = (id: HeadersId): Finding[] => btf.filter((f) => f.check === id);
  const roots = trees.map((t) => t.root).join(', ');
  return {
    'headers-incomplete':
      trees.length === 0
        ? notApplicable('no headers tree in these packages')
        : checked(
            [...missingRequirements(set, trees, arch), ...of('headers-incomplete')],
            `${counted(trees.length, 'headers tree')}: ${roots}`,
          ),
    'headers-btf-skipped':
      withBtf.length === 0
        ? notApplicable('no headers tree with CONFIG_DEBUG_INFO_BTF_MODULES')
        : checked(of('headers-btf-skipped')),
  };
}

export const headersCheck: VerifyCheck<HeadersId> = {
  title: 'each headers tree has what external module builds run and read',
  ids: ['headers-incomplete', 'headers-btf-skipped'],
  run: ({ set, trees, target }) => checkHeaders(set, trees, target.arch),
};
