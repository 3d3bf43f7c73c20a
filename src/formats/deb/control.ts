/**
 * The DEBIAN/control file of a binary package (deb-control(5)), from the format-neutral
 * description: fields in the order dpkg-gencontrol writes them (Dpkg::Control::FieldsCore,
 * CTRL_PKG_DEB), relations as "name (op version)" joined with ", " and " | ", and the long
 * description folded the way Debian requires (every line indented by one space, empty lines
 * written as " .").
 */
import type { Dependency, PackageDescription, PackageRelation } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';

const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;
// [epoch:]upstream[-revision]; upstream starts with a digit; a hyphen in upstream needs a revision.
const VERSION = /^(?:[0-9]+:)?[0-9][A-Za-z0-9.+~-]*$/;
const REVISION = /^[A-Za-z0-9.+~]+$/;
const ARCH = /^[a-z0-9][a-z0-9-]*$/;

function invalid(what: string, value: string, rule: string): KpkgError {
  return new KpkgError(`invalid ${what} ${JSON.stringify(value)} for a .deb: ${rule}`);
}

export function checkDebPackageName(name: string): void {
  if (!PACKAGE_NAME.test(name))
    throw invalid('package name', name, 'use at least two of a-z 0-9 + - . starting with a letter or digit');
}

export function checkDebVersion(version: string): void {
  const epochless = version.replace(/^[0-9]+:/, '');
  const hyphen = epochless.lastIndexOf('-');
  const revision = hyphen === -1 ? undefined : epochless.slice(hyphen + 1);
  const upstream = hyphen === -1 ? epochless : epochless.slice(0, hyphen);
  const ok = VERSION.test(version) && upstream !== '' && (revision === undefined || REVISION.test(revision));
  if (!ok) throw invalid('version', version, 'expected [epoch:]upstream[-revision] (Debian Policy 5.6.12)');
}

/** Debian Policy 5.6.2: the Maintainer field, and the changelog's trailer line, are "Name <email>". */
const MAINTAINER = /^[^<>,\s][^<>,]*? <[^<>@\s]+@[^<>@\s]+>$/;

export function checkDebMaintainer(maintainer: string): void {
  if (!MAINTAINER.test(maintainer))
    throw invalid(
      'maintainer',
      maintainer,
      'expected "Name <email>" (Debian Policy 5.6.2), e.g. "Jane Doe <jane@example.org>"',
    );
}

/** A single-line field value: no line breaks, no surrounding blanks, not empty. */
function line(field: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || /[\r\n]/.test(trimmed))
    throw new KpkgError(`the ${field} field must be one non-empty line, got ${JSON.stringify(value)}`);
  return trimmed;
}

function relation(relation: PackageRelation, allowVersion: boolean, field: string): string {
  checkDebPackageName(relation.name);
  if (relation.version === undefined) return relation.name;
  if (!allowVersion && relation.version.op !== '=')
    throw new KpkgError(`${field} allows only '=' versions, got '${relation.version.op}' for ${relation.name}`);
  checkDebVersion(relation.version.version);
  return `${relation.name} (${relation.version.op} ${relation.version.version})`;
}

/** "a (>= 1), b | c": one dependency per comma, alternatives separated by " | ". */
export function formatRelations(dependencies: readonly Dependency[], field = 'Depends'): string {
  return dependencies
    .map((dependency) => {
      const alternatives: readonly PackageRelation[] = 'name' in dependency ? [dependency] : dependency;
      if (alternatives.length === 0) throw new KpkgError(`an empty alternative in ${field}`);
      return alternatives.map((alternative) => relation(alternative, true, field)).join(' | ');
    })
    .join(', ');
}

/**
 * The Description field: the summary on the first line, then the long text with each line
 * indented by one space and empty lines as " ." (deb-control(5)). Leading and trailing empty
 * lines and trailing blanks are dropped.
 */
export function formatDescription(summary: string, description: string): string {
  const head = line('Description (summary)', summary);
  const lines = description
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((text) => text.trimEnd());
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const body = lines.map((text) => (text === '' ? ' .' : ` ${text}`));
  return [head, ...body].join('\n');
}

/** The control file's text, ending with a newline. `installedSize` is in KiB. */
export function debControlText(pkg: PackageDescription, installedSize: number): string {
  checkDebPackageName(pkg.name);
  checkDebVersion(pkg.version);
  if (!ARCH.test(pkg.arch))
    throw invalid('architecture', pkg.arch, 'expected a Debian architecture name such as arm64 or all');
  const fields: [string, string | undefined][] = [
    ['Package', pkg.name],
    ['Source', sourceField(pkg)],
    ['Version', pkg.version],
    ['Architecture', pkg.arch],
    ['Maintainer', line('Maintainer', pkg.maintainer)],
    ['Installed-Size', String(installedSize)],
    ['Pre-Depends', relations(pkg.preDepends, 'Pre-Depends')],
    ['Depends', relations(pkg.depends, 'Depends')],
    ['Recommends', relations(pkg.recommends, 'Recommends')],
    ['Suggests', relations(pkg.suggests, 'Suggests')],
    ['Conflicts', relations(pkg.conflicts, 'Conflicts')],
    ['Breaks', relations(pkg.breaks, 'Breaks')],
    ['Replaces', relations(pkg.replaces, 'Replaces')],
    [
      'Provides',
      pkg.provides === undefined || pkg.provides.length === 0
        ? undefined
        : pkg.provides.map((p) => relation(p, false, 'Provides')).join(', '),
    ],
    ['Section', optionalLine('Section', pkg.section)],
    ['Priority', optionalLine('Priority', pkg.priority)],
    ['Multi-Arch', pkg.multiArch],
    ['Homepage', optionalLine('Homepage', pkg.homepage)],
    ['Description', formatDescription(pkg.summary, pkg.description)],
  ];
  return fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([name, value]) => `${name}: ${value}\n`)
    .join('');
}

function optionalLine(field: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : line(field, value);
}

function relations(list: readonly Dependency[] | undefined, field: string): string | undefined {
  return list === undefined || list.length === 0 ? undefined : formatRelations(list, field);
}

/** As dpkg-gencontrol: only when it differs from the package, with "(version)" when versions differ. */
function sourceField(pkg: PackageDescription): string | undefined {
  if (pkg.source === undefined) return undefined;
  checkDebPackageName(pkg.source);
  const version = pkg.sourceVersion !== undefined && pkg.sourceVersion !== pkg.version ? pkg.sourceVersion : undefined;
  if (version !== undefined) checkDebVersion(version);
  if (pkg.source === pkg.name && version === undefined) return undefined;
  return version === undefined ? pkg.source : `${pkg.source} (${version})`;
}
