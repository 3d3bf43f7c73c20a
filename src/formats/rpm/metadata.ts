/**
 * Everything in the main header but the file list and the payload facts: names, descriptive
 * tags, dependencies and scripts, mapped from the format-neutral description as rpmbuild 4.18
 * would record the equivalent spec file (build/parsePreamble.c, parseScript.c, pack.c).
 *
 * Mapping: depends → Requires, preDepends → Requires(pre), recommends/suggests → the weak
 * dependency tags, conflicts and breaks → Conflicts, provides → Provides (after the implicit
 * "name = EVR" and, for arch packages, "name(isa) = EVR"), rpm.obsoletes → Obsoletes;
 * replaces, section, priority and multiArch have no rpm counterpart and are dropped.
 * maintainer → PACKAGER; homepage → URL; the group defaults to "Unspecified" (rpmbuild's).
 */
import { RPMTAG } from '../../archive/rpm.js';
import type { MaintainerScript, PackageDescription } from '../../package/model.js';
import { splitVersion } from '../../package/model.js';
import { KpkgError } from '../../util/errors.js';
import type { RpmArch } from '../../arch/arch-table.js';
import type { RpmDep } from './deps.js';
import { RPMSENSE, dependencyDep, depHasChar, isRich, normalizeDeps, relationDep, rpmlibDep } from './deps.js';
import type { HeaderBuilder } from './header.js';

/** A fixed BUILDHOST: the machine's name would make the package depend on where it was built. */
export const BUILDHOST = 'kpkg';

export interface RpmVersion {
  epoch?: number;
  version: string;
  release: string;
  /** "[epoch:]version-release", as rpm's EVR. */
  evr: string;
}

/** build/rpmbuild_internal.h: ALLOWED_CHARS_NAME / ALLOWED_CHARS_VERREL (without the macro characters "%{}"). */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;
const VERREL = /^[A-Za-z0-9._+~^]+$/;

export function checkName(name: string): void {
  if (!NAME.test(name) || name.includes('..')) {
    throw new KpkgError(
      `'${name}' is not a valid rpm package name: use letters, digits and '._+-', starting with a letter, digit or '_', without '..'`,
    );
  }
}

/** Splits and checks pkg.version: rpm needs a release, and no '-' or ':' inside version or release. */
export function rpmVersion(pkg: PackageDescription): RpmVersion {
  return rpmVersionOf(pkg.version, ` of ${pkg.name}`);
}

/** Splits and checks a version as rpmVersion() does; `of` says whose it is in a message (" of kernel"). */
export function rpmVersionOf(full: string, of = ''): RpmVersion {
  const { epoch, version, release } = splitVersion(full);
  if (release === undefined || release === '') {
    throw new KpkgError(
      `the version '${full}'${of} has no release, which rpm needs: give it as VERSION-RELEASE, e.g. '${full}-1'`,
    );
  }
  for (const [what, value] of [
    ['version', version],
    ['release', release],
  ] as const) {
    if (!VERREL.test(value) || value.includes('..')) {
      throw new KpkgError(
        `the ${what} '${value}'${of} (from '${full}') is not valid for rpm: use letters, digits and '._+~^' only (no '-' or ':')`,
      );
    }
  }
  if (epoch !== undefined && epoch > 0xffffffff) throw new KpkgError(`the epoch of '${full}' is too large for rpm`);
  const evr = `${epoch === undefined ? '' : `${epoch}:`}${version}-${release}`;
  return { ...(epoch === undefined ? {} : { epoch }), version, release, evr };
}

interface ScriptTags {
  body: number;
  prog: number;
  sense: number;
}

/** dpkg's script names → rpm's %pre, %post, %preun, %postun, in tag order. */
const SCRIPTS: readonly (readonly [MaintainerScript, ScriptTags])[] = [
  ['preinst', { body: RPMTAG.PREIN, prog: RPMTAG.PREINPROG, sense: RPMSENSE.SCRIPT_PRE }],
  ['postinst', { body: RPMTAG.POSTIN, prog: RPMTAG.POSTINPROG, sense: RPMSENSE.SCRIPT_POST }],
  ['prerm', { body: RPMTAG.PREUN, prog: RPMTAG.PREUNPROG, sense: RPMSENSE.SCRIPT_PREUN }],
  ['postrm', { body: RPMTAG.POSTUN, prog: RPMTAG.POSTUNPROG, sense: RPMSENSE.SCRIPT_POSTUN }],
];

interface Script {
  tags: ScriptTags;
  /** The interpreter and its arguments, from the '#!' line. */
  prog: string[];
  body: string;
}

/**
 * rpm runs a scriptlet as `<prog> <script file> <count>`; the interpreter is the PROG tag, so it
 * is taken from the script's '#!' line (the line itself stays, a comment to the shell). A script
 * without one is refused, as the .deb writer does. Trailing blanks are stripped as rpmbuild does.
 */
export function scripts(pkg: PackageDescription): Script[] {
  const out: Script[] = [];
  for (const [name, tags] of SCRIPTS) {
    const text = pkg.scripts?.[name];
    if (text === undefined) continue;
    const shebang = /^#!\s*(\S[^\n]*)/.exec(text);
    const prog = shebang?.[1]?.trim().split(/\s+/) ?? [];
    if (prog[0] === undefined || !prog[0].startsWith('/')) {
      throw new KpkgError(`the ${name} script of ${pkg.name} must start with an interpreter line such as '#!/bin/sh'`);
    }
    out.push({ tags, prog, body: text.replace(/\s+$/, '') });
  }
  return out;
}

interface DepSets {
  provides: RpmDep[];
  requires: RpmDep[];
  recommends: RpmDep[];
  suggests: RpmDep[];
  conflicts: RpmDep[];
  obsoletes: RpmDep[];
}

/** The dependency sets, rpmlib() requirements included. `features` are the payload's (compressor, large files…). */
export function depSets(
  pkg: PackageDescription,
  arch: RpmArch,
  evr: string,
  scriptList: readonly Script[],
  features: readonly RpmDep[],
): DepSets {
  const self = { name: pkg.name, flags: RPMSENSE.EQUAL, version: evr };
  const provides = [
    self,
    ...(arch.isa === undefined ? [] : [{ ...self, name: `${pkg.name}(${arch.isa})` }]),
    ...(pkg.provides ?? []).map((r) => relationDep(r, 'provides')),
  ];
  const requires = [
    ...(pkg.depends ?? []).map((d) => dependencyDep(d, 'depends')),
    ...(pkg.preDepends ?? []).map((d) => dependencyDep(d, 'pre-depends', RPMSENSE.SCRIPT_PRE)),
    ...scriptList.map((s) => ({ name: s.prog[0] ?? '/bin/sh', flags: RPMSENSE.INTERP | s.tags.sense, version: '' })),
  ];
  const sets: DepSets = {
    provides,
    requires,
    recommends: (pkg.recommends ?? []).map((d) => dependencyDep(d, 'recommends')),
    suggests: (pkg.suggests ?? []).map((d) => dependencyDep(d, 'suggests')),
    conflicts: [...(pkg.conflicts ?? []), ...(pkg.breaks ?? [])].map((d) => dependencyDep(d, 'conflicts')),
    obsoletes: (pkg.rpm?.obsoletes ?? []).map((r) => relationDep(r, 'obsoletes')),
  };
  const all = [sets.provides, sets.requires, sets.recommends, sets.suggests, sets.conflicts, sets.obsoletes].flat();
  const needs = [...features];
  if (scriptList.some((s) => s.prog.length > 1)) needs.push(rpmlibDep('ScriptletInterpreterArgs', '4.0.3-1'));
  if (all.some((d) => depHasChar(d, '~'))) needs.push(rpmlibDep('TildeInVersions', '4.10.0-1'));
  if (all.some((d) => depHasChar(d, '^'))) needs.push(rpmlibDep('CaretInVersions', '4.15.0-1'));
  if ([...sets.requires, ...sets.recommends, ...sets.suggests, ...sets.conflicts].some(isRich))
    needs.push(rpmlibDep('RichDependencies', '4.12.0-1'));
  sets.requires.push(...needs);
  for (const key of Object.keys(sets) as (keyof DepSets)[]) sets[key] = normalizeDeps(sets[key]);
  return sets;
}

function putDeps(
  header: HeaderBuilder,
  deps: readonly RpmDep[],
  tags: readonly [name: number, flags: number, version: number],
): void {
  if (deps.length === 0) return;
  header.strings(
    tags[0],
    deps.map((d) => d.name),
  );
  header.int32(
    tags[1],
    deps.map((d) => d.flags),
  );
  header.strings(
    tags[2],
    deps.map((d) => d.version),
  );
}

export function addDependencyTags(header: HeaderBuilder, sets: DepSets): void {
  putDeps(header, sets.provides, [RPMTAG.PROVIDENAME, RPMTAG.PROVIDEFLAGS, RPMTAG.PROVIDEVERSION]);
  putDeps(header, sets.requires, [RPMTAG.REQUIRENAME, RPMTAG.REQUIREFLAGS, RPMTAG.REQUIREVERSION]);
  putDeps(header, sets.conflicts, [RPMTAG.CONFLICTNAME, RPMTAG.CONFLICTFLAGS, RPMTAG.CONFLICTVERSION]);
  putDeps(header, sets.obsoletes, [RPMTAG.OBSOLETENAME, RPMTAG.OBSOLETEFLAGS, RPMTAG.OBSOLETEVERSION]);
  putDeps(header, sets.recommends, [RPMTAG.RECOMMENDNAME, RPMTAG.RECOMMENDFLAGS, RPMTAG.RECOMMENDVERSION]);
  putDeps(header, sets.suggests, [RPMTAG.SUGGESTNAME, RPMTAG.SUGGESTFLAGS, RPMTAG.SUGGESTVERSION]);
}

export function addScriptTags(header: HeaderBuilder, scriptList: readonly Script[]): void {
  for (const script of scriptList) {
    header.string(script.tags.body, script.body);
    // parseScript.c: a lone interpreter is a STRING (what old rpm reads), with arguments a STRING_ARRAY.
    if (script.prog.length === 1) header.string(script.tags.prog, script.prog[0] ?? '');
    else header.strings(script.tags.prog, script.prog);
  }
}

/** The descriptive tags: NAME … URL, OS, ARCH, SOURCERPM, ENCODING. */
export function addDescriptiveTags(
  header: HeaderBuilder,
  pkg: PackageDescription,
  version: RpmVersion,
  arch: RpmArch,
): void {
  header.string(RPMTAG.NAME, pkg.name).string(RPMTAG.VERSION, version.version).string(RPMTAG.RELEASE, version.release);
  if (version.epoch !== undefined) header.int32(RPMTAG.EPOCH, [version.epoch]);
  header
    .i18nString(RPMTAG.SUMMARY, pkg.summary)
    .i18nString(RPMTAG.DESCRIPTION, pkg.description)
    .int32(RPMTAG.BUILDTIME, [pkg.mtime])
    .string(RPMTAG.BUILDHOST, BUILDHOST)
    .i18nString(RPMTAG.GROUP, pkg.rpm?.group ?? 'Unspecified')
    .string(RPMTAG.OS, 'linux')
    .string(RPMTAG.ARCH, arch.name)
    .string(RPMTAG.PACKAGER, pkg.maintainer)
    // rpm takes a package without SOURCERPM for a source package (headerIsSource, lib/headerutil.c).
    .string(RPMTAG.SOURCERPM, sourceRpm(pkg, version))
    // pack.c (checkForEncoding): every string is UTF-8, which JavaScript strings encode to.
    .string(RPMTAG.ENCODING, 'utf-8');
  if (pkg.license !== undefined) header.string(RPMTAG.LICENSE, pkg.license);
  if (pkg.homepage !== undefined) header.string(RPMTAG.URL, pkg.homepage);
  if (pkg.rpm?.vendor !== undefined) header.string(RPMTAG.VENDOR, pkg.rpm.vendor);
}

/** "<source>-<version>-<release>.src.rpm", from the source package's name and version when given. */
function sourceRpm(pkg: PackageDescription, version: RpmVersion): string {
  const name = pkg.source ?? pkg.name;
  if (pkg.sourceVersion === undefined) return `${name}-${version.version}-${version.release}.src.rpm`;
  const source = splitVersion(pkg.sourceVersion);
  return `${name}-${source.version}-${source.release ?? version.release}.src.rpm`;
}
