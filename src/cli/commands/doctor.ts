import type { Command } from 'commander';
import { missingChecks, runDoctor, treeDoctorInput, type DoctorInput } from '../../doctor/checks.js';
import { formatReport } from '../../doctor/report.js';
import { findArch } from '../../arch/arch-table.js';
import { readTreeFacts } from '../../kernel/inspect.js';
import { kpkgCacheDir } from '../../util/cache.js';
import { KpkgError } from '../../util/errors.js';
import { makeVarsFrom } from '../options.js';

interface DoctorOptions {
  arch?: string;
  buildDir?: string;
  sourceDir?: string;
  sysroot?: string;
  pluginSysroot?: string;
  smoke?: boolean;
  json?: boolean;
}

async function doctorInput(args: string[], options: DoctorOptions): Promise<DoctorInput> {
  const extra = {
    sysroot: options.sysroot,
    pluginSysroot: options.pluginSysroot,
    smoke: options.smoke !== false,
    cacheDir: kpkgCacheDir(),
  };
  if (options.buildDir !== undefined) {
    const facts = await readTreeFacts({
      buildDir: options.buildDir,
      sourceDir: options.sourceDir,
      vars: makeVarsFrom(args),
    });
    return { ...treeDoctorInput(facts), ...extra };
  }
  if (options.arch === undefined) {
    throw new KpkgError('kpkg doctor needs --arch ARCH or --build-dir DIR', {
      hint: 'e.g. `kpkg doctor --arch arm64`, or point it at a built tree to check only what that tree needs',
      exitCode: 2,
    });
  }
  const arch = findArch(options.arch);
  if (arch === undefined)
    throw new KpkgError(`unknown architecture "${options.arch}"`, {
      hint: 'use a Debian, kernel, RPM or GNU name: arm64, armhf, riscv64, ppc64el, amd64, aarch64-linux-gnu…',
      exitCode: 2,
    });
  return { arch, ...extra };
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description(
      'check this machine has what packaging (and the smoke test) need for a target, with the command that installs each missing piece',
    )
    .option('-a, --arch <arch>', 'target architecture (Debian, kernel, RPM or GNU name)')
    .option('-b, --build-dir <dir>', 'a built kernel tree: check only what it needs, with its compiler')
    .option('-s, --source-dir <dir>', 'the kernel source tree (default: found from the build dir)')
    .option(
      '--sysroot <dir>',
      "check against this target root (--sysroot=) instead of the multiarch paths or kpkg's own sysroot",
    )
    .option(
      '--plugin-sysroot <dir>',
      "check the target gcc's plugin headers in this root instead of kpkg's own sysroot",
    )
    .option('--no-smoke', 'skip the checks for kpkg smoke (qemu-user, mmdebstrap)')
    .option('--json', 'print machine-readable JSON on stdout')
    .argument('[make-vars...]', 'ARCH=, CROSS_COMPILE=, LLVM=, CC= as for make')
    .action(async (args: string[], options: DoctorOptions) => {
      const input = await doctorInput(args, options);
      const results = await runDoctor(input);
      const failed = missingChecks(results).length;
      if (options.json === true)
        process.stdout.write(
          `${JSON.stringify({ arch: input.arch.debian, ok: failed === 0, checks: results }, null, 2)}\n`,
        );
      else
        process.stdout.write(
          `${formatReport(results)}\n${failed === 0 ? 'everything needed is here' : `${failed} missing`}\n`,
        );
      if (failed > 0) process.exitCode = 1;
    });
}
