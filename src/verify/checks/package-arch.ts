/** package-arch: each package declares the target's architecture (or none in particular). */
import { findArch, type ArchInfo } from '../../arch/arch-table.js';
import { finding, type CheckResult, type Finding } from '../findings.js';
import type { ReadPackage } from '../model.js';
import { ARCH_INDEPENDENT } from '../target.js';

export function checkPackageArch(packages: readonly ReadPackage[], arch: ArchInfo | undefined): CheckResult {
  const declared = packages.filter((p) => p.arch !== undefined);
  if (arch === undefined || declared.length === 0) {
    return { id: 'package-arch', applicable: false, findings: [], note: arch === undefined ? 'the target is unknown' : 'no package declares an architecture' };
  }
  const findings: Finding[] = [];
  for (const pkg of declared) {
    const name = pkg.arch ?? '';
    if (ARCH_INDEPENDENT.has(name)) continue;
    const theirs = findArch(name);
    if (theirs?.debian === arch.debian) continue;
    findings.push(
      finding('package-arch', `declares architecture ${name}${theirs === undefined ? ' (unknown to kpkg)' : theirs.debian === name ? '' : ` (${theirs.debian})`}; the target is ${arch.debian}`, {
        package: pkg.name,
        found: name,
        expected: arch.debian,
      }),
    );
  }
  return { id: 'package-arch', applicable: true, findings };
}
