/**
 * kernel-config-arch: every kernel configuration the packages ship is for the target. When
 * --arch or the packages' declared architecture chose the target, a configuration for another
 * machine means a mislabelled package, a wrong --arch, or a 64-bit kernel packaged for a 32-bit
 * userland (Debian i386's linux-image-amd64): the ELF files were judged for the target, and this
 * says so instead of silently preferring one of them.
 */
import { checked, notApplicable, type CheckOutcome, type VerifyCheck } from '../check.js';
import { finding, type Finding } from '../findings.js';
import type { ShippedConfig } from '../../reader/shipped-configs.js';
import type { Target } from '../../reader/target.js';

function configuredFor(config: ShippedConfig): string {
  return config.arches.length > 0
    ? config.arches.map((a) => a.debian).join(' or ')
    : `${config.srcArch} that kpkg does not package for`;
}

export function checkKernelConfigs(configs: readonly ShippedConfig[], target: Target): CheckOutcome {
  const arch = target.arch;
  if (configs.length === 0) return notApplicable('no kernel configuration shipped');
  if (arch === undefined) return notApplicable('the target is unknown');
  const findings: Finding[] = configs
    .filter((config) => !config.arches.includes(arch))
    .map((config) =>
      finding(
        'kernel-config-arch',
        `configures a kernel for ${configuredFor(config)} (${config.evidence}); the target is ${arch.debian} (from ${target.detail}), and ELF files are judged for it`,
        {
          path: config.path,
          package: config.package,
          found: config.arches[0]?.debian ?? config.srcArch,
          expected: arch.debian,
        },
      ),
    );
  return checked(findings);
}

export const kernelConfigCheck: VerifyCheck<'kernel-config-arch'> = {
  title: 'the shipped kernel configurations against the target',
  ids: ['kernel-config-arch'],
  run: ({ configs, target }) => ({ 'kernel-config-arch': checkKernelConfigs(configs, target) }),
};
