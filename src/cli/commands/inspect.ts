import type { Command } from 'commander';
import { describeIdentity } from '../../elf/identity.js';
import { inspectReport, readTreeFacts, type TreeFacts } from '../../kernel/inspect.js';
import { addTreeOptions, makeVarsFrom, type TreeOptions } from '../options.js';
import { formatTable, yesNo, type TableRow } from '../table.js';

export function registerInspect(program: Command): void {
  addTreeOptions(program.command('inspect'))
    .description('read a built kernel tree and report what packaging depends on')
    .action(async (args: string[], options: TreeOptions) => {
      const vars = makeVarsFrom(args);
      const facts = await readTreeFacts({ buildDir: options.buildDir, sourceDir: options.sourceDir, vars });
      process.stdout.write(
        options.json === true ? `${JSON.stringify(inspectReport(facts), null, 2)}\n` : `${humanReport(facts)}\n`,
      );
    });
}

function humanReport(facts: TreeFacts): string {
  const { tree, arch, toolchain, features, artifacts } = facts;
  const rows: TableRow[] = [
    { section: `Linux ${tree.release}` },
    ['object tree', tree.objtree],
    ['source tree', tree.separateObjtree ? tree.srctree : '(same: in-tree build)'],
    ['ARCH / SRCARCH', `${tree.kernelArch} / ${tree.srcArch}`],
    ['target', `${arch.debian} (${arch.gnuTriplet}), ELF ${describeIdentity(facts.target)}`],
    ['build machine', describeIdentity(facts.build)],
    ['cross build', yesNo(facts.cross)],
    { section: 'Compiler' },
    ['CC', toolchain.cc.join(' ')],
    ['version', toolchain.versionText],
    [
      toolchain.kind === 'clang' ? 'clang target' : 'cross prefix',
      (toolchain.kind === 'clang' ? toolchain.clangTarget : toolchain.crossPrefix) || '(none: native)',
    ],
    ['LLVM (ld.lld)', yesNo(toolchain.llvm)],
    ['HOSTCC', toolchain.hostcc.join(' ')],
    ['CC can link', yesNo(toolchain.ccCanLink)],
    { section: 'Features that change packaging' },
    ['modules', yesNo(features.modules)],
    ['modversions', yesNo(features.modversions)],
    [
      'module signing',
      features.moduleSig.enabled
        ? `yes (${features.moduleSig.all ? 'all modules, ' : ''}${features.moduleSig.hash ?? '?'})`
        : 'no',
    ],
    ['objtool', yesNo(features.objtool)],
    ['debug info', yesNo(features.debugInfo)],
    ['BTF for modules', yesNo(features.debugInfoBtfModules)],
    ['GCC plugins', features.gccPlugins.length > 0 ? features.gccPlugins.join(', ') : 'none'],
    ['randstruct', features.randstruct === false ? 'no' : features.randstruct],
    { section: 'Build results' },
    ['Module.symvers', yesNo(artifacts.moduleSymvers)],
    ['vmlinux', artifacts.vmlinux ? 'yes (ELF identity agrees)' : 'no'],
    ['boot image', artifacts.bootImage.present ? artifacts.bootImage.path : `missing (${artifacts.bootImage.path})`],
  ];
  return formatTable(rows);
}
