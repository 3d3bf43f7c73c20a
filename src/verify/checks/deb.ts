/**
 * deb-control, deb-md5sums, deb-md5sums-incomplete: the package's own promises. dpkg refuses a
 * control file without Package, Version, Architecture, Maintainer or Description
 * (deb-control(5)), and `dpkg --verify` compares installed files with md5sums.
 */
import type { CheckOutcome, VerifyCheck } from '../check.js';
import { finding, type Finding } from '../findings.js';
import type { ReadPackage } from '../../reader/model.js';

export const REQUIRED_CONTROL_FIELDS = ['Package', 'Version', 'Architecture', 'Maintainer', 'Description'] as const;

type DebId = 'deb-control' | 'deb-md5sums' | 'deb-md5sums-incomplete';

export function checkDebs(packages: readonly ReadPackage[]): Record<DebId, CheckOutcome> {
  const debs = packages.filter((p) => p.format === 'deb' && p.deb !== undefined);
  const control: Finding[] = [];
  const sums: Finding[] = [];
  const incomplete: Finding[] = [];
  for (const pkg of debs) {
    const deb = pkg.deb;
    if (deb === undefined) continue;
    const at = { package: pkg.name };
    if (deb.control === undefined) {
      control.push(
        finding('deb-control', `${deb.controlMember} has no control file`, { ...at, path: 'DEBIAN/control' }),
      );
    } else {
      for (const field of REQUIRED_CONTROL_FIELDS) {
        const value = deb.control.get(field);
        if (value === undefined || value.trim() === '')
          control.push(
            finding('deb-control', `control field ${field} is ${value === undefined ? 'missing' : 'empty'}`, {
              ...at,
              path: 'DEBIAN/control',
            }),
          );
      }
    }
    const files = new Map(pkg.members.filter((m) => m.type === 'file').map((m) => [m.path, m]));
    if (deb.md5sums === undefined) {
      if (files.size > 0)
        incomplete.push(
          finding('deb-md5sums-incomplete', 'the package has no md5sums: dpkg --verify cannot check its files', {
            ...at,
            path: 'DEBIAN/md5sums',
          }),
        );
      continue;
    }
    for (const line of deb.md5sumsMalformed)
      sums.push(
        finding('deb-md5sums', `malformed md5sums line: ${JSON.stringify(line)}`, { ...at, path: 'DEBIAN/md5sums' }),
      );
    for (const [path, expected] of deb.md5sums) {
      const member = files.get(path);
      if (member === undefined) {
        sums.push(
          finding('deb-md5sums', `listed in md5sums but not a regular file in ${deb.dataMember}`, {
            ...at,
            path,
            expected,
          }),
        );
      } else if (member.md5 !== expected) {
        sums.push(
          finding('deb-md5sums', `contents do not match md5sums`, { ...at, path, found: member.md5 ?? '?', expected }),
        );
      }
    }
    for (const path of files.keys()) {
      if (!deb.md5sums.has(path) && !deb.conffiles.has(path))
        incomplete.push(finding('deb-md5sums-incomplete', 'regular file not listed in md5sums', { ...at, path }));
    }
  }
  const applicable = debs.length > 0;
  const note = applicable ? undefined : 'no .deb among the inputs';
  const outcome = (findings: Finding[]): CheckOutcome => ({ applicable, findings, note });
  return {
    'deb-control': outcome(control),
    'deb-md5sums': outcome(sums),
    'deb-md5sums-incomplete': outcome(incomplete),
  };
}

export const debCheck: VerifyCheck<DebId> = {
  title: "each .deb's control file and md5sums",
  ids: ['deb-control', 'deb-md5sums', 'deb-md5sums-incomplete'],
  run: ({ packages }) => checkDebs(packages),
};
