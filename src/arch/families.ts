/**
 * The architecture as each package family names it, and the early refusal of a row a family
 * cannot package. The deb and tar families use the Debian name itself; rpm and pacman have names
 * of their own in the row, or the row says why kpkg does not package it for them.
 */
import type { FamilyId } from '../package/family.js';
import { KpkgError } from '../util/errors.js';
import { ANY_ARCH, ARCHES, archByDebian, findArch } from './arch-table.js';
import type { ArchInfo, NamingFamily, RpmArch } from './arch-table.js';

function isNamingFamily(family: FamilyId): family is NamingFamily {
  return family === 'rpm' || family === 'pacman';
}

function familyName(family: NamingFamily, arch: ArchInfo): string | undefined {
  return family === 'rpm' ? arch.rpm?.name : arch.pacman;
}

function packagedFor(family: NamingFamily): string {
  return ARCHES.filter((a) => familyName(family, a) !== undefined)
    .map((a) => a.debian)
    .join(', ');
}

function refusal(family: NamingFamily, arch: ArchInfo): KpkgError {
  const why = arch.notPackaged?.[family] ?? 'the arch table has no name for it (src/arch/arch-table.ts)';
  return new KpkgError(`kpkg does not write ${family} packages for ${arch.debian}: ${why}`, {
    hint: `package it as deb or tar, or see docs/recipes/add-a-target-architecture.md; ${family} is written for ${packagedFor(family)}`,
  });
}

/**
 * Refuses, before any work, a row that `family` cannot package: one line saying why, with the
 * families and rows that work as the hint. The deb and tar families package every row.
 */
export function requireFamilyArch(family: FamilyId, arch: ArchInfo): void {
  if (isNamingFamily(family) && familyName(family, arch) === undefined) throw refusal(family, arch);
}

/** The row of a package's Debian architecture, for a family's writer. */
function rowFor(family: NamingFamily, debianArch: string): ArchInfo {
  const arch = archByDebian(debianArch);
  if (arch === undefined) {
    throw new KpkgError(
      `kpkg cannot write ${family === 'rpm' ? 'an rpm' : 'a pacman'} package for the Debian architecture '${debianArch}': it knows ${ANY_ARCH.debian}, ${packagedFor(family)}`,
    );
  }
  return arch;
}

/** rpm's names for a package's Debian architecture ('all' is noarch). */
export function rpmArch(debianArch: string): RpmArch {
  if (debianArch === ANY_ARCH.debian) return ANY_ARCH.rpm;
  const arch = rowFor('rpm', debianArch);
  if (arch.rpm === undefined) throw refusal('rpm', arch);
  return arch.rpm;
}

/** pacman's architecture (.PKGINFO arch, the file name's) for a package's Debian architecture ('all' is any). */
export function pacmanArch(debianArch: string): string {
  if (debianArch === ANY_ARCH.debian) return ANY_ARCH.pacman;
  const arch = rowFor('pacman', debianArch);
  if (arch.pacman === undefined) throw refusal('pacman', arch);
  return arch.pacman;
}

/** How a family spells a row's architecture in its packages' metadata (a directory declares none). */
function declaredName(format: FamilyId | 'directory', arch: ArchInfo): string | undefined {
  if (format === 'directory') return undefined;
  return isNamingFamily(format) ? familyName(format, arch) : arch.debian;
}

/** 'all', 'noarch', 'any': a package for every machine, in any family's words. */
export function isArchIndependent(name: string): boolean {
  return name === ANY_ARCH.debian || name === ANY_ARCH.rpm.name || name === ANY_ARCH.pacman;
}

/**
 * The row a package's declared architecture names, read in its own family's words first: pacman's
 * 'arm' is armel (Arch Linux ARM's ARMv5 port), although as a kernel ARCH 'arm' names both ARM rows.
 */
export function archDeclaredBy(format: FamilyId | 'directory', name: string): ArchInfo | undefined {
  return ARCHES.find((arch) => declaredName(format, arch) === name) ?? findArch(name);
}
