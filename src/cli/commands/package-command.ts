/**
 * The commands that write packages, one per family of the families table (src/families/), share
 * their options and output; each family's row names its layout, its container writer and what its
 * command adds. The command only parses and wires: tree → parts → layout → writer happens in
 * src/pipeline/build-packages.ts.
 */
import { Option, type Command } from 'commander';
import type { CompressionKind } from '../../archive/compress.js';
import type { Family } from '../../families/family.js';
import { variableValue, withVariable } from '../../families/variables.js';
import { parseOnly } from '../../layouts/layout.js';
import { buildPackages, type BuildResult } from '../../pipeline/build-packages.js';
import type { TargetLibraryChoice } from '../../sysroot/target-libraries.js';
import { KpkgError } from '../../util/errors.js';
import { printable, printableReport } from '../../util/printable.js';
import { packagesMarkdown } from '../summaries.js';
import {
  addCacheOption,
  addFormatOption,
  addOutOption,
  addTargetLibraryOptions,
  addTreeOptions,
  makeVarsFrom,
  reportFormat,
  targetLibraryChoice,
  type TreeOptions,
} from '../options.js';
import { createProgress } from '../progress.js';

export interface PackageCommandOptions extends TreeOptions, TargetLibraryChoice {
  out: string;
  only?: string;
  compress?: CompressionKind;
  level?: string;
  pkgVersion?: string;
  revision?: string;
  maintainer?: string;
  sourceDateEpoch?: string;
  jobs?: string;
  cache: boolean;
  format?: string;
}

export function integerOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new KpkgError(`${name} must be a whole number, not "${value}"`, { exitCode: 2 });
  return Number(value);
}

function positiveOption(name: string, value: string | undefined): number | undefined {
  const n = integerOption(name, value);
  if (n === 0) throw new KpkgError(`${name} must be at least 1`, { exitCode: 2 });
  return n;
}

/** The text report of the written packages: each file, its package and digest; the set's files; the headers' facts. */
function packagesText<Kind extends string>(result: BuildResult<Kind>): string {
  return printableReport([
    ...result.packages.flatMap((p) => [
      p.path,
      `  ${p.name} ${p.version} ${result.arch}, ${p.size} bytes, sha256 ${p.sha256}`,
    ]),
    ...result.setFiles,
    ...(result.elfCount > 0
      ? [`  ${result.rebuilt.length} host programs rebuilt for ${result.arch}; ${result.elfCount} ELF files checked`]
      : []),
    ...(result.depends.length > 0 ? [`  the headers depend on: ${result.depends.join(', ')}`] : []),
  ]);
}

/** Adds `kpkg <family>`: the shared options, the family's own, and the action that writes its packages. */
export function registerPackageCommand(program: Command, family: Family): void {
  const { packager, command: spec } = family;
  let command = addFormatOption(
    addCacheOption(addTargetLibraryOptions(addOutOption(addTreeOptions(program.command(family.id))))),
  )
    .description(spec.description)
    .addOption(
      new Option(
        '--compress <kind>',
        `compression (default: ${withVariable(packager.compressions[0] ?? '', spec.environment?.compress)})`,
      ).choices([...packager.compressions]),
    );
  if (family.kinds.length > 1)
    command = command.option(
      '--only <packages>',
      `comma-separated packages to write, of ${family.kinds.join(', ')} (default: all that apply to the tree)`,
    );
  command = command
    .option('--level <n>', 'compression level (default: the usual one of the format for the compressor)')
    .option(
      '--pkg-version <version>',
      `full package version (default: ${withVariable(spec.versionHelp, spec.environment?.pkgVersion)})`,
    )
    .option('--revision <rev>', 'the release/revision part of the default version (default: the kernel build number)')
    .option('--maintainer <who>', '"Name <email>" (default: DEBFULLNAME/DEBEMAIL, then git config)')
    .option('--source-date-epoch <seconds>', 'mtime of every file (default: SOURCE_DATE_EPOCH, else fixed by the tree)')
    .option(
      '-j, --jobs <n>',
      'compilers, make jobs and package writers at once (default: the cores); the packages are the same for any value',
    );
  if (spec.extraOptions !== undefined) command = spec.extraOptions(command);
  command
    .addHelpText(
      'after',
      `\n${spec.helpAfter === undefined ? '' : `${spec.helpAfter}\n`}INSTALL_MOD_STRIP in the environment is passed to modules_install (default 1, i.e. --strip-debug; empty: no stripping).`,
    )
    .action(async (args: string[], options: PackageCommandOptions) => {
      const format = reportFormat(options);
      const progress = createProgress({ verbose: options.verbose });
      try {
        const layout = family.layout(options);
        const result = await buildPackages(layout, packager, {
          buildDir: options.buildDir,
          sourceDir: options.sourceDir,
          vars: makeVarsFrom(args),
          out: options.out,
          only: options.only === undefined ? undefined : parseOnly(layout, options.only),
          ...targetLibraryChoice(options),
          moduleStrip: process.env.INSTALL_MOD_STRIP,
          jobs: positiveOption('--jobs', options.jobs ?? spec.environment?.jobs?.(process.env)),
          cache: options.cache,
          compression:
            options.compress ??
            (variableValue(spec.environment?.compress, packager.compressions) as CompressionKind | undefined),
          level: integerOption('--level', options.level),
          version: options.pkgVersion ?? variableValue(spec.environment?.pkgVersion),
          revision: options.revision,
          maintainer: options.maintainer,
          sourceDateEpoch: integerOption('--source-date-epoch', options.sourceDateEpoch),
          onStep: (step, detail) => progress.step(step, detail),
          onCommand: (line) => progress.command(line),
        });
        progress.finish(true);
        if (format === 'json') {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else if (format === 'markdown') {
          process.stdout.write(packagesMarkdown(family.id, result));
        } else {
          process.stdout.write(packagesText(result));
        }
        for (const w of result.warnings) process.stderr.write(`kpkg: warning: ${printable(w)}\n`);
      } catch (e) {
        progress.finish(false);
        throw e;
      }
    });
}
