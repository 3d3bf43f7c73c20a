/**
 * Every shared library a shipped program or shared object needs (DT_NEEDED) comes from a relation
 * the package declares — else the package manager installs it on a machine without that library
 * and the program dies with "error while loading shared libraries". For kpkg's own packages that is
 * an error; for others' (upstream bindeb-pkg, distribution packages) a warning.
 */
import { archPackageOf } from '../../layouts/pacman/depends.js';
import type { ShlibsDatabase } from '../../debian/database.js';
import { conventionalPackages } from '../../debian/soname-packages.js';
import type { CheckOutcome, VerifyCheck } from '../check.js';
import { finding, type Finding } from '../findings.js';
import type { ReadPackage } from '../../reader/model.js';

/** The relation names that would provide a soname (any one of them), per format, and how the report shows them. */
function providers(
  pkg: ReadPackage,
  soname: string,
  debianData: ShlibsDatabase | undefined,
): { names: readonly string[]; expected: string } | undefined {
  switch (pkg.format) {
    case 'deb': {
      const fromData = debianData?.packageOf(soname);
      const names = fromData === undefined ? conventionalPackages(soname) : [fromData];
      return { names, expected: names.join(' | ') };
    }
    case 'rpm':
      // rpm's own dependency generator names the soname itself: "libelf.so.1()(64bit)".
      return { names: [soname], expected: `${soname}()` };
    case 'pacman': {
      const name = archPackageOf(soname);
      return name === undefined ? undefined : { names: [name], expected: name };
    }
    default:
      return undefined;
  }
}

/**
 * The names a package's relations satisfy, indexed once: each name as declared, and for rpm also
 * each name cut before a '(' ("libelf.so.1()(64bit)" satisfies libelf.so.1).
 */
function satisfiedNames(pkg: ReadPackage): Set<string> {
  const names = new Set<string>();
  for (const alternatives of pkg.requires ?? []) {
    for (const name of alternatives) {
      names.add(name);
      if (pkg.format !== 'rpm') continue;
      for (let at = name.indexOf('('); at !== -1; at = name.indexOf('(', at + 1)) names.add(name.slice(0, at));
    }
  }
  return names;
}

/** Each soname the package's files need and the set does not ship, with the files that need it. */
function neededBy(pkg: ReadPackage, shippedNames: ReadonlySet<string>): Map<string, string[]> {
  const bySoname = new Map<string, string[]>();
  for (const m of pkg.members) {
    for (const soname of m.dynamic?.needed ?? []) {
      if (shippedNames.has(soname)) continue;
      const paths = bySoname.get(soname);
      if (paths === undefined) bySoname.set(soname, [m.path]);
      else paths.push(m.path);
    }
  }
  return bySoname;
}

type PrerequisitesId = 'prerequisites' | 'prerequisites-other';

export function checkPrerequisites(
  packages: readonly ReadPackage[],
  debianData: ShlibsDatabase | undefined,
): Record<PrerequisitesId, CheckOutcome> {
  // A library the set ships itself needs no relation.
  const shippedNames = new Set(
    packages.flatMap((p) =>
      p.members.flatMap((m) => [
        m.path.slice(m.path.lastIndexOf('/') + 1),
        ...(m.dynamic?.soname === undefined ? [] : [m.dynamic.soname]),
      ]),
    ),
  );
  const own: Finding[] = [];
  const others: Finding[] = [];
  let applicable = false;
  for (const pkg of packages) {
    if (pkg.requires === undefined) continue;
    applicable = true;
    const declared = satisfiedNames(pkg);
    for (const [soname, paths] of neededBy(pkg, shippedNames)) {
      const p = providers(pkg, soname, debianData);
      if (p === undefined || p.names.some((name) => declared.has(name))) continue;
      const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? ` and ${paths.length - 3} more` : '');
      const message = `${shown} need${paths.length === 1 ? 's' : ''} ${soname}, but ${pkg.name} declares no dependency that provides it`;
      (pkg.byKpkg === true ? own : others).push(
        finding(pkg.byKpkg === true ? 'prerequisites' : 'prerequisites-other', message, {
          package: pkg.name,
          path: paths[0] ?? '',
          found: soname,
          expected: p.expected,
        }),
      );
    }
  }
  const note = applicable ? undefined : 'no package declares relations (a tarball or directory)';
  return {
    prerequisites: { applicable, findings: own, note },
    'prerequisites-other': { applicable, findings: others, note },
  };
}

export const prerequisitesCheck: VerifyCheck<PrerequisitesId> = {
  title: 'the shared libraries shipped programs need against the relations their packages declare',
  ids: ['prerequisites', 'prerequisites-other'],
  run: ({ packages, debianData }) => checkPrerequisites(packages, debianData),
};
