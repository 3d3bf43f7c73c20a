import { Option, type Command } from 'commander';
import type { CompressionKind } from '../../archive/compress.js';
import { buildDebs, DEB_PACKAGE_KINDS, parseOnly } from '../../pipeline/deb.js';
import { KpkgError } from '../../util/errors.js';
import type { TargetLibraryChoice } from '../../sysroot/target-libraries.js';
import { addOutOption, addTargetLibraryOptions, addTreeOptions, makeVarsFrom, targetLibraryChoice, type TreeOptions } from '../options.js';
import { createProgress } from '../progress.js';

interface DebOptions extends TreeOptions, TargetLibraryChoice {
  out: string;
  only?: string;
  compress: CompressionKind;
  level?: string;
  pkgVersion?: string;
  revision?: string;
  maintainer?: string;
  sourceDateEpoch?: string;
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new KpkgError(`${name} must be a whole number, not "${value}"`, { exitCode: 2 });
  return Number(value);
}

export function registerDeb(program: Command): void {
  addTargetLibraryOptions(addOutOption(addTreeOptions(program.command('deb'))))
    .description('write the Debian packages of a built kernel: linux-image, linux-headers (host programs rebuilt for the target and checked), linux-libc-dev and, with CONFIG_DEBUG_INFO, linux-image-dbg')
    .option('--only <packages>', `comma-separated packages to write, of ${DEB_PACKAGE_KINDS.join(', ')} (default: all that apply to the tree)`)
    .addOption(new Option('--compress <kind>', 'compression of the package members').choices(['xz', 'zstd', 'gzip', 'none']).default('xz'))
    .option('--level <n>', 'compression level (default: dpkg-deb\'s for the compressor)')
    .option('--pkg-version <version>', 'full package version, like KDEB_PKGVERSION (default, as upstream: <release>-<build number>, since 6.3 <kernel version without local version>-<build number>)')
    .option('--revision <rev>', 'the Debian revision in the default version (default: the kernel build number)')
    .option('--maintainer <who>', '"Name <email>" (default: DEBFULLNAME/DEBEMAIL, then git config)')
    .option('--source-date-epoch <seconds>', 'mtime of every file (default: SOURCE_DATE_EPOCH, else fixed by the tree)')
    .addHelpText('after', '\nINSTALL_MOD_STRIP in the environment is passed to modules_install (default 1, i.e. --strip-debug; empty: no stripping).')
    .action(async (args: string[], options: DebOptions) => {
      const progress = createProgress({ verbose: options.verbose });
      try {
        const result = await buildDebs({
          buildDir: options.buildDir,
          sourceDir: options.sourceDir,
          vars: makeVarsFrom(args),
          out: options.out,
          only: options.only === undefined ? undefined : parseOnly(options.only),
          ...targetLibraryChoice(options),
          moduleStrip: process.env.INSTALL_MOD_STRIP,
          compression: options.compress,
          level: integer('--level', options.level),
          version: options.pkgVersion,
          revision: options.revision,
          maintainer: options.maintainer,
          sourceDateEpoch: integer('--source-date-epoch', options.sourceDateEpoch),
          onStep: (step, detail) => progress.step(step, detail),
          onCommand: (line) => progress.command(line),
        });
        progress.finish(true);
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        } else {
          for (const p of result.packages) process.stdout.write(`${p.path}\n  ${p.name} ${p.version} ${result.arch}, ${p.size} bytes, sha256 ${p.sha256}\n`);
          if (result.packages.some((p) => p.kind === 'headers')) process.stdout.write(`  ${result.rebuilt.length} host programs rebuilt for ${result.arch}; ${result.elfCount} ELF files checked\n`);
        }
      } catch (e) {
        progress.finish(false);
        throw e;
      }
    });
}
