import type { Command } from 'commander';
import { findArch } from '../../arch/arch-table.js';
import { ensureTargetSysroot } from '../../sysroot/target-sysroot.js';
import { kpkgCacheDir } from '../../util/cache.js';
import { KpkgError } from '../../util/errors.js';
import { createProgress } from '../progress.js';

interface SysrootOptions {
  arch?: string;
  gccPlugins?: string;
  targetSuite?: string;
  mirror?: string;
  refresh?: boolean;
  json?: boolean;
  verbose?: boolean;
}

export function registerSysroot(program: Command): void {
  program
    .command('sysroot')
    .description(
      "prepare (or show) kpkg's own target sysroot: the target's libelf, zlib, libssl and gmp development packages (and gcc-<N>-plugin-dev) fetched with a private apt state and unpacked, no root or multiarch needed; `deb` and `headers` use it when the libraries are not installed",
    )
    .requiredOption('-a, --arch <arch>', 'target architecture (Debian, kernel, RPM or GNU name)')
    .option(
      '--gcc-plugins <major>',
      "also fetch the plugin headers of the target's gcc <major> (gcc-<major>-plugin-dev)",
    )
    .option(
      '--target-suite <suite>',
      "the release to fetch from (default: the build machine's; trixie for riscv64 on bookworm)",
    )
    .option(
      '--mirror <uri>',
      "the archive to fetch from (default: the build machine's Debian mirror; Ubuntu's ports archive for other architectures on Ubuntu)",
    )
    .option('--refresh', 'fetch the package lists again even if they are less than a day old')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('-v, --verbose', 'show the commands kpkg runs')
    .action(async (options: SysrootOptions) => {
      const arch = findArch(options.arch ?? '');
      if (arch === undefined)
        throw new KpkgError(`unknown architecture "${options.arch ?? ''}"`, {
          hint: 'use a Debian, kernel, RPM or GNU name: arm64, armhf, riscv64, ppc64el, amd64, aarch64-linux-gnu…',
          exitCode: 2,
        });
      const major = options.gccPlugins === undefined ? undefined : Number(options.gccPlugins);
      if (major !== undefined && !(Number.isInteger(major) && major > 0))
        throw new KpkgError(`--gcc-plugins takes gcc's major version (e.g. 12), not "${options.gccPlugins ?? ''}"`, {
          exitCode: 2,
        });
      const progress = createProgress({ verbose: options.verbose });
      try {
        const sysroot = await ensureTargetSysroot({
          debianArch: arch.debian,
          cacheDir: kpkgCacheDir(),
          gccPluginMajor: major,
          mirror: options.mirror,
          suite: options.targetSuite,
          refresh: options.refresh === true,
          onStep: (d) => progress.step('sysroot', d),
          onCommand: (c) => progress.command(c),
        });
        progress.finish(true);
        if (options.json === true) process.stdout.write(`${JSON.stringify(sysroot, null, 2)}\n`);
        else {
          const unpacked = sysroot.packages.filter((p) => p.unpacked);
          process.stdout.write(
            `${sysroot.root}\n  ${sysroot.suite} ${sysroot.debianArch} from ${sysroot.mirror}, ${sysroot.created ? 'fetched now' : 'cached'}\n`,
          );
          process.stdout.write(`  unpacked: ${unpacked.map((p) => `${p.name} ${p.version}`).join(', ')}\n`);
          process.stdout.write(
            `  control files only (the cross toolchain brings its own): ${sysroot.packages
              .filter((p) => !p.unpacked)
              .map((p) => p.name)
              .join(', ')}\n`,
          );
        }
      } catch (e) {
        progress.finish(false);
        throw e;
      }
    });
}
