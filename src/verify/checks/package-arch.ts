/** package-arch: each package declares the target's architecture (or none in particular). */
import type { ArchInfo } from '../../arch/arch-table.js';
import { archDeclaredBy, isArchIndependent } from '../../arch/families.js';
import { checked, notApplicable, type CheckOutcome, type VerifyCheck } from '../check.js';
import { finding, type Finding } from '../findings.js';
import type { ReadPackage } from '../../reader/model.js';

function mismatch(pkg: ReadPackage, arch: ArchInfo): Finding | undefined {
  const name = pkg.arch ?? '';
  if (isArchIndependent(name)) return undefined;
  const theirs = archDeclaredBy(pkg.format, name);
  if (theirs?.debian === arch.debian) return undefined;
  const known = theirs === undefined ? ' (unknown to kpkg)' : theirs.debian === name ? '' : ` (${theirs.debian})`;
  return finding('package-arch', `declares architecture ${name}${known}; the target is ${arch.debian}`, {
    package: pkg.name,
    found: name,
    expected: arch.debian,
  });
}

export function checkPackageArch(packages: readonly ReadPackage[], arch: ArchInfo | undefined): CheckOutcome {
  const declared = packages.filter((p) => p.arch !== undefined);
  if (arch === undefined) return notApplicable('the target is unknown');
  if (declared.length === 0) return notApplicable('no package declares an architecture');
  return checked(declared.map((pkg) => mismatch(pkg, arch)).filter((f) => f !== undefined));
}

export const packageArchCheck: VerifyCheck<'package-arch'> = {
  title: "the packages' declared architecture",
  ids: ['package-arch'],
  run: ({ packages, target }) => ({ 'package-arch': checkPackageArch(packages, target.arch) }),
};
