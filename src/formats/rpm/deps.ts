/**
 * Package relations as rpm dependency sets (NAME/FLAGS/VERSION tag triples), built the way
 * rpmbuild 4.18 builds them (build/reqprov.c, build/pack.c, lib/rpmds.c):
 *
 *  - Debian operators become sense flags: '>=' GREATER|EQUAL, '<<' LESS, …;
 *  - alternatives "a | b (>= 1)" become a rich dependency "(a or b >= 1)" with no flags of its
 *    own and an empty version, and add rpmlib(RichDependencies);
 *  - each set is sorted by name, version (strcmp) and flags, duplicates dropped (rpmdsMerge);
 *  - rpmlib(Feature) requirements carry RPMLIB|LESS|EQUAL and the feature's version;
 *  - a '~' or '^' in any version adds rpmlib(TildeInVersions) / rpmlib(CaretInVersions)
 *    (pack.c, finalizeDeps).
 */
import type { Dependency, PackageRelation, RelationOp } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';

/** rpmds.h rpmsenseFlags. */
export const RPMSENSE = {
  ANY: 0,
  LESS: 1 << 1,
  GREATER: 1 << 2,
  EQUAL: 1 << 3,
  INTERP: 1 << 8,
  SCRIPT_PRE: 1 << 9,
  SCRIPT_POST: 1 << 10,
  SCRIPT_PREUN: 1 << 11,
  SCRIPT_POSTUN: 1 << 12,
  RPMLIB: 1 << 24,
} as const;

export interface RpmDep {
  name: string;
  flags: number;
  version: string;
}

const OP_FLAGS: Readonly<Record<RelationOp, number>> = {
  '>=': RPMSENSE.GREATER | RPMSENSE.EQUAL,
  '<=': RPMSENSE.LESS | RPMSENSE.EQUAL,
  '=': RPMSENSE.EQUAL,
  '<<': RPMSENSE.LESS,
  '>>': RPMSENSE.GREATER,
};
const OP_TEXT: Readonly<Record<RelationOp, string>> = { '>=': '>=', '<=': '<=', '=': '=', '<<': '<', '>>': '>' };

/**
 * A name rpm reads as one plain dependency: no blanks, '<', '>' or '=', and parentheses only as
 * qualifiers after it — "libc.so.6()(64bit)", "libc.so.6(GLIBC_2.34)(64bit)", as rpm's own
 * generators write them; a name starting with '(' would be a rich (boolean) dependency.
 */
const RPM_NAME = /^[^\s<>=()]+(\([^\s<>=()]*\))*$/;

/** A dependency name or version may not be empty or hold blanks, and a name not '<', '>' or '='. */
function check(relation: PackageRelation, what: string): void {
  if (!RPM_NAME.test(relation.name)) {
    throw new KpkgError(
      `invalid ${what} name ${JSON.stringify(relation.name)} for rpm: a name cannot be empty or contain blanks, '<', '>' or '=', and parentheses only as qualifiers after it (libc.so.6()(64bit))`,
    );
  }
  const version = relation.version?.version;
  if (version !== undefined && !/^[^\s<>=()]+$/.test(version)) {
    throw new KpkgError(
      `invalid version ${JSON.stringify(version)} in the ${what} on ${relation.name} for rpm: it cannot be empty or contain blanks, parentheses, '<', '>' or '='`,
    );
  }
}

export function relationDep(relation: PackageRelation, what: string, baseFlags = 0): RpmDep {
  check(relation, what);
  const v = relation.version;
  return { name: relation.name, flags: baseFlags | (v === undefined ? 0 : OP_FLAGS[v.op]), version: v?.version ?? '' };
}

/** A relation or alternatives; alternatives of more than one become "(a or b >= 1)". */
export function dependencyDep(dependency: Dependency, what: string, baseFlags = 0): RpmDep {
  if (!Array.isArray(dependency)) return relationDep(dependency as PackageRelation, what, baseFlags);
  const alternatives = dependency as readonly PackageRelation[];
  const only = alternatives[0];
  if (only === undefined) throw new KpkgError(`an empty list of alternatives in the ${what} of the package`);
  if (alternatives.length === 1) return relationDep(only, what, baseFlags);
  const terms = alternatives.map((relation) => {
    check(relation, what);
    const v = relation.version;
    return v === undefined ? relation.name : `${relation.name} ${OP_TEXT[v.op]} ${v.version}`;
  });
  return { name: `(${terms.join(' or ')})`, flags: baseFlags, version: '' };
}

export function isRich(dep: RpmDep): boolean {
  return dep.name.startsWith('(');
}

/** Byte-wise comparison, as C's strcmp on UTF-8. */
function strcmp(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** rpmdsMerge's order and deduplication: name, then version, then flags. */
export function normalizeDeps(deps: readonly RpmDep[]): RpmDep[] {
  const sorted = [...deps].sort((a, b) => strcmp(a.name, b.name) || strcmp(a.version, b.version) || a.flags - b.flags);
  return sorted.filter((dep, i) => {
    const prev = sorted[i - 1];
    return prev === undefined || prev.name !== dep.name || prev.version !== dep.version || prev.flags !== dep.flags;
  });
}

/** rpmlibNeedsFeature(): "rpmlib(Feature) <= version". */
export function rpmlibDep(feature: string, version: string): RpmDep {
  return { name: `rpmlib(${feature})`, flags: RPMSENSE.RPMLIB | RPMSENSE.LESS | RPMSENSE.EQUAL, version };
}

/** Whether a version, or any version inside a rich dependency, contains `char`. */
export function depHasChar(dep: RpmDep, char: string): boolean {
  if (!isRich(dep)) return dep.version.includes(char);
  // Versions in "(a >= 1~rc or b)" follow an operator.
  return [...dep.name.matchAll(/(?:<=|>=|<|>|=) ([^\s()]+)/g)].some((m) => (m[1] ?? '').includes(char));
}
