import { Option, type Command } from 'commander';
import { splitMakeArguments, type MakeVars } from '../kernel/make-vars.js';
import type { TargetLibraryChoice } from '../sysroot/target-libraries.js';
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
    .option(
      '-b, --build-dir <dir>',
      'the kernel object tree (the O= directory, or the source tree for in-tree builds)',
      '.',
    )
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

/** Where the target's libraries come from when host programs are rebuilt: --sysroot, --plugin-sysroot, --target-suite, --mirror, --target-gcc. */
export function addTargetLibraryOptions(command: Command): Command {
  return command
    .option(
      '--sysroot <dir>',
      "a target root with the libraries host programs link (libelf, zlib, libssl), instead of multiarch packages or kpkg's own sysroot",
    )
    .option('--plugin-sysroot <dir>', "a root holding the target's gcc-<N>-plugin-dev (default: kpkg's own sysroot)")
    .option(
      '--target-suite <suite>',
      "the release kpkg fetches the target's libraries from (default: the build machine's; trixie for riscv64 on bookworm)",
    )
    .option(
      '--mirror <uri>',
      "the archive kpkg fetches them from (default: the build machine's Debian mirror; Ubuntu's ports archive for other architectures on Ubuntu)",
    )
    .option(
      '--target-gcc <version>',
      'the gcc build on the target (e.g. 12.2.0-14+deb12u1): refuse GCC plugins built against another one, which it would not load',
    );
}

export function targetLibraryChoice(options: TargetLibraryChoice): TargetLibraryChoice {
  return {
    sysroot: options.sysroot,
    pluginSysroot: options.pluginSysroot,
    mirror: options.mirror,
    targetSuite: options.targetSuite,
    targetGcc: options.targetGcc,
  };
}

/** --no-cache: kpkg's build cache (rebuilt host programs, make install outputs, compressed members) neither read nor filled. */
export function addCacheOption(command: Command): Command {
  return command.option(
    '--no-cache',
    "neither use nor fill kpkg's build cache (rebuilt host programs, make install outputs, compressed package members, under <cache dir>/build)",
  );
}

export type ReportFormat = 'text' | 'json' | 'markdown';

/** --format text|json|markdown; --json (where a command has it) stays the short form of --format json. */
export function formatOption(): Option {
  return new Option(
    '--format <format>',
    'how to print the result: text, json (= --json) or markdown (a CI step summary)',
  ).choices(['text', 'json', 'markdown']);
}

export function addFormatOption(command: Command): Command {
  return command.addOption(formatOption());
}

/** The format asked for; --json with a --format other than json is a usage error (which one was meant?). */
export function reportFormat(options: { json?: boolean | undefined; format?: string | undefined }): ReportFormat {
  if (options.json === true && options.format !== undefined && options.format !== 'json')
    throw new KpkgError(`--json and --format ${options.format} ask for different outputs`, {
      hint: `give one of them: --json is --format json`,
      exitCode: 2,
    });
  if (options.format === 'json' || options.format === 'markdown') return options.format;
  return options.json === true ? 'json' : 'text';
}
