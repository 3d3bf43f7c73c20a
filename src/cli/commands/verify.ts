import type { Command } from 'commander';
import { KpkgError } from '../../util/errors.js';
import { formatReport } from '../../verify/report.js';
import { formatReportMarkdown } from '../../verify/report-markdown.js';
import { addFormatOption, reportFormat } from '../options.js';
import { verify } from '../../verify/verify.js';
import { NO_RELEASE } from '../../verify/library-release.js';
import { createProgress, type Progress } from '../progress.js';

/** A suite name as apt writes them (bookworm, trixie-backports, noble); anything else is refused before reading. */
function checkedSuite(suite: string): string {
  if (/^[a-z][a-z0-9-]*$/.test(suite)) return suite;
  throw new KpkgError(
    `--target-suite takes a release's name (bookworm, trixie, sid…) or ${NO_RELEASE}, not "${suite}"`,
    {
      exitCode: 2,
    },
  );
}

interface VerifyCommandOptions {
  arch?: string;
  targetSuite?: string;
  json?: boolean;
  format?: string;
}

export function registerVerify(program: Command): void {
  addFormatOption(program.command('verify'))
    .description(
      'check packages (.deb, .rpm, .pkg.tar.*, .tar*, directories) as one installed set: ELF machine, headers tree, build link, secrets, dpkg metadata',
    )
    .argument('<inputs...>', 'package files or directories; packages given together are verified as one installed set')
    .option(
      '--arch <arch>',
      "the target (Debian, kernel, RPM or GNU name); default: the packages' metadata, else the kernel configuration they ship, else most ELF files",
    )
    .option(
      '--target-suite <suite>',
      `the Debian release whose library data names the packages that provide the shared libraries programs need (default: the latest the packages name or depend on, else the build machine's; fetched once like kpkg deb's sysroot); ${NO_RELEASE}: Debian's naming conventions alone`,
    )
    .option('--json', 'print every finding as JSON on stdout')
    .addHelpText(
      'after',
      '\nExit status: 0 no error-level findings, 1 error-level findings, 2 an input could not be read.',
    )
    .action(async (inputs: string[], options: VerifyCommandOptions) => {
      const format = reportFormat(options);
      const targetSuite = options.targetSuite === undefined ? undefined : checkedSuite(options.targetSuite);
      // Shown only when a release's library data has to be fetched.
      let progress: Progress | undefined;
      const report = await verify({
        inputs,
        ...(options.arch === undefined ? {} : { arch: options.arch }),
        ...(targetSuite === undefined ? {} : { targetSuite }),
        onStep: (line) => (progress ??= createProgress()).step('library data', line),
      }).then(
        (r) => (progress?.finish(true), r),
        (e: unknown) => {
          progress?.finish(false);
          throw e;
        },
      );
      process.stdout.write(
        format === 'json'
          ? `${JSON.stringify(report, null, 2)}\n`
          : format === 'markdown'
            ? formatReportMarkdown(report)
            : formatReport(report),
      );
      if (report.exitCode !== 0) {
        throw new KpkgError(
          `verification failed: ${report.counts.error} error-level finding${report.counts.error === 1 ? '' : 's'}`,
          { exitCode: 1 },
        );
      }
    });
}
