/**
 * Names and versions as pacman spells them: the version split into pkgver and pkgrel, relations
 * ("name>=ver"), and the package file name makepkg gives (`${pkgname}-${fullver}-${pkgarch}${PKGEXT}`,
 * makepkg 6.0/7.0 create_package). The architecture (Arch's CARCH) is the arch table's
 * (src/arch/families.ts).
 */
import type { CompressionKind } from '../../archive/compress.js';
import type { Dependency, PackageDescription, PackageRelation, RelationOp } from '../../package/model.js';
import { splitVersion } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import { pacmanArch } from '../../arch/families.js';

// makepkg's lint_pkgname / lint_pkgver / lint_pkgrel (libmakepkg/lint_pkgbuild). pkgbase.sh
// lints pkgbase with pkgname's lint_one_pkgname: ASCII [[:alnum:]] and +_.@-, so upper case is
// allowed (only the separate pkglint tool warns about it), and not - or . first.
const PKGNAME = /^[a-zA-Z0-9@_+][a-zA-Z0-9@._+-]*$/;
const PKGREL = /^[0-9]+(\.[0-9]+)?$/;

/** Whether makepkg accepts `name` as a pkgname or pkgbase. */
export function isPacmanPackageName(name: string): boolean {
  return PKGNAME.test(name);
}

export function checkPacmanName(name: string, what = 'package name'): void {
  if (!isPacmanPackageName(name)) {
    throw new KpkgError(
      `invalid ${what} ${JSON.stringify(name)} for pacman: use a-z A-Z 0-9 @ . _ + -, not starting with '-' or '.'`,
    );
  }
}

export interface PacmanVersion {
  epoch?: number;
  pkgver: string;
  pkgrel: string;
  /** [epoch:]pkgver-pkgrel, as .PKGINFO's pkgver and the file name carry it (get_full_version). */
  full: string;
}

/**
 * The description's version as pacman's. A hyphen in the upstream part becomes '_', as the
 * kernel's own scripts/package/PKGBUILD does with KERNELRELEASE (pkgver may not contain '-').
 */
export function pacmanVersion(version: string): PacmanVersion {
  const { epoch, version: upstream, release } = splitVersion(version);
  if (release === undefined || !PKGREL.test(release)) {
    throw new KpkgError(
      `version ${JSON.stringify(version)} cannot be a pacman version: it must end in '-<pkgrel>' with pkgrel a number such as 1 or 1.1`,
    );
  }
  const pkgver = upstream.replaceAll('-', '_');
  if (pkgver === '' || /[\s/:]/.test(pkgver)) {
    throw new KpkgError(
      `version ${JSON.stringify(version)} cannot be a pacman version: pkgver may not be empty or contain blanks, '/' or ':'`,
    );
  }
  const full = `${epoch === undefined ? '' : `${epoch}:`}${pkgver}-${release}`;
  return { ...(epoch === undefined ? {} : { epoch }), pkgver, pkgrel: release, full };
}

const PACMAN_OP: Readonly<Record<RelationOp, string>> = { '>=': '>=', '<=': '<=', '=': '=', '<<': '<', '>>': '>' };

/** "name", or "name<op>version" with pacman's operators. */
export function pacmanRelation(relation: PackageRelation, field: string): string {
  checkPacmanName(relation.name, `package name in ${field}`);
  if (relation.version === undefined) return relation.name;
  const version = relation.version.version;
  if (version === '' || /[\s<>=]/.test(version))
    throw new KpkgError(`invalid version ${JSON.stringify(version)} for ${relation.name} in ${field}`);
  return `${relation.name}${PACMAN_OP[relation.version.op]}${version}`;
}

/** One line per dependency. pacman has no alternatives ("a | b"): they are an error. */
export function pacmanRelations(
  pkg: PackageDescription,
  field: string,
  dependencies: readonly Dependency[] | undefined,
): string[] {
  return (dependencies ?? []).map((dependency) => {
    if ('name' in dependency) return pacmanRelation(dependency, field);
    const [only, ...rest] = dependency;
    if (only !== undefined && rest.length === 0) return pacmanRelation(only, field);
    const text = dependency.map((alternative) => alternative.name).join(' | ');
    throw new KpkgError(`${pkg.name}: pacman cannot express the alternatives '${text}' in ${field}`, {
      hint: 'give the pacman package a single dependency (pacman has no "a | b"; a virtual package in provides is the usual way)',
    });
  });
}

export const PACMAN_COMPRESSIONS = ['zstd', 'xz', 'gzip'] as const satisfies readonly CompressionKind[];
type PacmanCompression = (typeof PACMAN_COMPRESSIONS)[number];

const PKGEXT: Readonly<Record<PacmanCompression, string>> = {
  zstd: '.pkg.tar.zst',
  xz: '.pkg.tar.xz',
  gzip: '.pkg.tar.gz',
};

export function checkPacmanCompression(kind: CompressionKind): PacmanCompression {
  const found = PACMAN_COMPRESSIONS.find((candidate) => candidate === kind);
  if (found === undefined)
    throw new KpkgError(`pacman packages are compressed with ${PACMAN_COMPRESSIONS.join(', ')}, not '${kind}'`);
  return found;
}

/** `<name>-[epoch:]<pkgver>-<pkgrel>-<arch>.pkg.tar.<ext>`, as makepkg names it. */
export function pacmanFileName(pkg: PackageDescription, compression: CompressionKind): string {
  checkPacmanName(pkg.name);
  return `${pkg.name}-${pacmanVersion(pkg.version).full}-${pacmanArch(pkg.arch)}${PKGEXT[checkPacmanCompression(compression)]}`;
}
