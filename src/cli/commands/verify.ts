import type { Command } from 'commander';
import { KpkgError } from '../../util/errors.js';
import { formatReport } from '../../verify/report.js';
import { formatReportMarkdown } from '../../verify/report-markdown.js';
import { addFormatOption, reportFormat } from '../options.js';
import { verify } from '../../verify/verify.js';

interface VerifyCommandOptions {
  arch?: string;
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
    .option('--json', 'print every finding as JSON on stdout')
    .addHelpText(
      'after',
      '\nExit status: 0 no error-level findings, 1 error-level findings, 2 an input could not be read.',
    )
    .action(async (inputs: string[], options: VerifyCommandOptions) => {
      const format = reportFormat(options);
      const report = await verify({ inputs, ...(options.arch === undefined ? {} : { arch: options.arch }) });
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
