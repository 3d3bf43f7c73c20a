/**
 * hardlink-dangling: a hard link in a tar stream names a member extracted before it. GNU tar
 * (and so `dpkg-deb -x`) and dpkg's own extractor create it with link(2) on that path; when the
 * package does not hold the target, or holds it only further on, extraction stops with "Cannot
 * hard link to ...: No such file or directory". kpkg never writes hard links; other tools' and
 * hand-made packages can have them.
 */
import { checked, counted, notApplicable, type CheckOutcome, type VerifyCheck } from '../check.js';
import { finding, type Finding } from '../findings.js';
import type { PackageFormat, ReadPackage } from '../../reader/model.js';

/**
 * Formats whose members are extracted in archive order. An rpm's hard links share an inode in
 * its cpio payload and the last of them carries the data (src/reader/rpm.ts), so they point forward.
 */
const EXTRACTED_IN_ORDER: ReadonlySet<PackageFormat> = new Set(['deb', 'tar', 'pacman']);

function danglingLinks(pkg: ReadPackage): Finding[] {
  const position = new Map(pkg.members.map((m, index) => [m.path, index]));
  const inOrder = EXTRACTED_IN_ORDER.has(pkg.format);
  const findings: Finding[] = [];
  for (const [index, member] of pkg.members.entries()) {
    if (member.type !== 'hardlink' || member.link === undefined) continue;
    const target = position.get(member.link);
    const where = { path: member.path, package: pkg.name, expected: member.link };
    if (target === undefined) {
      const message = `hard link to ${member.link}, which the package does not contain: dpkg-deb -x and tar -x fail extracting it`;
      findings.push(finding('hardlink-dangling', message, where));
    } else if (inOrder && target > index) {
      const message = `hard link to ${member.link}, which comes after it in the archive: members are extracted in order, so the link fails`;
      findings.push(finding('hardlink-dangling', message, where));
    }
  }
  return findings;
}

export function checkHardLinks(packages: readonly ReadPackage[]): CheckOutcome {
  const links = packages.reduce((n, pkg) => n + pkg.members.filter((m) => m.type === 'hardlink').length, 0);
  if (links === 0) return notApplicable('no hard links in these packages');
  return checked(packages.flatMap(danglingLinks), counted(links, 'hard link'));
}

export const hardlinkCheck: VerifyCheck<'hardlink-dangling'> = {
  title: 'hard links against the members extracted before them',
  ids: ['hardlink-dangling'],
  run: ({ packages }) => ({ 'hardlink-dangling': checkHardLinks(packages) }),
};
