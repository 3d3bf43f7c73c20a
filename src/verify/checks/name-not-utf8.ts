/**
 * name-not-utf8: member names and link targets are valid UTF-8. dpkg, rpm and tar take any bytes,
 * so the package installs, but such names are what a package built to confuse tools looks like
 * (two names that differ only in such bytes read as one by anything that decodes them lossily),
 * and lintian makes them an error (shipped-file-without-utf8-name, once file-name-is-not-valid-UTF-8)
 * that the Debian archive rejects unless overridden. The readers keep every byte
 * (util/name-bytes.ts), so the other checks see each of these members on its own; this one names
 * them, the bytes shown as \xHH.
 */
import { checked, counted, type CheckOutcome, type VerifyCheck } from '../check.js';
import { finding, type Finding } from '../findings.js';
import type { ReadPackage } from '../../reader/model.js';
import { isUtf8Name } from '../../util/name-bytes.js';

function namesNotUtf8(pkg: ReadPackage): Finding[] {
  const findings: Finding[] = [];
  for (const member of pkg.members) {
    const where = { path: member.path, package: pkg.name };
    if (!isUtf8Name(member.path)) findings.push(finding('name-not-utf8', 'the member name is not valid UTF-8', where));
    if (member.link !== undefined && !isUtf8Name(member.link))
      findings.push(finding('name-not-utf8', `the link's target ${member.link} is not valid UTF-8`, where));
  }
  return findings;
}

export function checkNameEncoding(packages: readonly ReadPackage[]): CheckOutcome {
  const members = packages.reduce((n, pkg) => n + pkg.members.length, 0);
  return checked(packages.flatMap(namesNotUtf8), counted(members, 'member name'));
}

export const nameEncodingCheck: VerifyCheck<'name-not-utf8'> = {
  title: 'member names and link targets as UTF-8',
  ids: ['name-not-utf8'],
  run: ({ packages }) => ({ 'name-not-utf8': checkNameEncoding(packages) }),
};
