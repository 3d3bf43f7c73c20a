import { Option, type Command } from 'commander';
import type { CompressionKind } from '../../archive/compress.js';
import { buildDebs, parseOnly } from '../../pipeline/deb.js';
import { KpkgError } from '../../util/errors.js';
import { addOutOption, addTreeOptions, makeVarsFrom, type TreeOptions } from '../options.js';
import { createProgress } from '../progress.js';

interface DebOptions extends TreeOptions {
  out: string;
  only: string;
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
  addOutOption(addTreeOptions(program.command('deb')))
    .description('write Debian packages of a built kernel (the headers package is rebuilt for the target and checked)')
    .option('--only <packages>', 'comma-separated packages to write', 'headers')
    .addOption(new Option('--compress <kind>', 'compression of the package members').choices(['xz', 'zstd', 'gzip', 'none']).default('xz'))
    .option('--level <n>', 'compression level (default: dpkg-deb\'s for the compressor)')
    .option('--pkg-version <version>', 'full package version, like KDEB_PKGVERSION (default: <release>-<build number>)')
    .option('--revision <rev>', 'Debian revision after <release>- (default: the kernel build number)')
    .option('--maintainer <who>', '"Name <email>" (default: DEBFULLNAME/DEBEMAIL, then git config)')
    .option('--source-date-epoch <seconds>', 'mtime of every file (default: SOURCE_DATE_EPOCH, else fixed by the tree)')
    .action(async (args: string[], options: DebOptions) => {
      const progress = createProgress({ verbose: options.verbose });
      try {
        const result = await buildDebs({
          buildDir: options.buildDir,
          sourceDir: options.sourceDir,
          vars: makeVarsFrom(args),
          out: options.out,
          only: parseOnly(options.only),
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
          process.stdout.write(`  ${result.rebuilt.length} host programs rebuilt for ${result.arch}; ${result.elfCount} ELF files checked\n`);
        }
      } catch (e) {
        progress.finish(false);
        throw e;
      }
    });
}
