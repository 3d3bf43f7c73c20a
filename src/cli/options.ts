import { Option, type Command } from 'commander';
import { splitMakeArguments, type MakeVars } from '../kernel/make-vars.js';
import { KpkgError } from '../util/errors.js';

/** Options every command that reads a tree shares. */
export interface TreeOptions {
  buildDir: string;
  sourceDir?: string;
  json?: boolean;
  verbose?: boolean;
}

export function addTreeOptions(command: Command): Command {
  return command
    .option('-b, --build-dir <dir>', 'the kernel object tree (the O= directory, or the source tree for in-tree builds)', '.')
    .option('-s, --source-dir <dir>', 'the kernel source tree (default: found from the build dir)')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('-v, --verbose', 'show the commands kpkg runs')
    .argument('[make-vars...]', 'ARCH=, CROSS_COMPILE=, LLVM=, CC=, HOSTCC= as for make (the environment works too)');
}

export function addOutOption(command: Command): Command {
  return command.addOption(new Option('-o, --out <dir>', 'where to write the results').default('./out'));
}

/** make-style NAME=value arguments plus the environment; anything else is a usage error. */
export function makeVarsFrom(args: readonly string[]): MakeVars {
  const { vars, rest } = splitMakeArguments(args, process.env);
  if (rest.length > 0) {
    throw new KpkgError(`unexpected argument${rest.length > 1 ? 's' : ''}: ${rest.join(' ')}`, {
      hint: 'only NAME=value assignments of ARCH, CROSS_COMPILE, LLVM, CC and HOSTCC are accepted as arguments; see --help',
      exitCode: 2,
    });
  }
  return vars;
}
