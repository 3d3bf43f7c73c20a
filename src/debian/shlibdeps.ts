/**
 * The Depends of packages that ship ELF programs, computed the way dpkg-shlibdeps(1) does, from the
 * target architecture's shlibs and symbols control files (deb-shlibs(5), deb-symbols(5)): those kpkg's
 * target sysroot keeps under .kpkg/control/<package>/, or a dpkg database's info directory of the
 * target architecture (database.ts). Never the build machine's libraries: which package provides a
 * soname is read from the control files that declare it, not by finding the library file.
 */
import type { LibraryImport, LibraryNeed } from '../elf/needs.js';
import { KpkgError } from '../util/errors.js';
import type { LibraryPackage, ShlibsDatabase } from './database.js';
import { mergeDepends } from './relations.js';
import type { SymbolsLibrary, SymbolsSymbol } from './symbols-file.js';
import { compareDebianVersions } from './version.js';

export interface ResolvedLibrary {
  readonly soname: string;
  /** The package whose control files declare the soname. */
  readonly package: string;
  /** Which of its files gave the dependency: symbols win over shlibs. */
  readonly source: 'symbols' | 'shlibs';
  /** What this soname alone asks for, `#MINVER#` replaced. */
  readonly dependency: string;
}

export interface ShlibsDepends {
  /** The Depends clauses, merged (mergeDepends) and sorted. */
  readonly depends: string[];
  readonly resolved: ResolvedLibrary[];
  /** Sonames no control file declares, in the order of the needs. */
  readonly unresolved: string[];
}

/** dpkg-shlibdeps' %dependencies: each dependency template (a `,`-separated part of one) with the minimal version it needs, '' for none yet. */
class TemplateVersions {
  private readonly versions = new Map<string, string>();

  /** update_dependency_version(): a higher version replaces a lower one, any version replaces ''. */
  update(template: string, minVersion: string): void {
    for (const part of template.split(/\s*,\s*/)) {
      const key = part.trim();
      if (key === '') continue;
      const current = this.versions.get(key);
      if (
        current === undefined ||
        current === '' ||
        (minVersion !== '' && compareDebianVersions(minVersion, current) > 0)
      )
        this.versions.set(key, minVersion);
    }
  }

  /** `#MINVER#` becomes `(>= <version>)`, or nothing when no version (or `0`) was found. */
  render(): string[] {
    return [...this.versions].map(([template, version]) => {
      const minver = version === '' || version === '0' ? '' : `(>= ${version})`;
      return template.replaceAll('#MINVER#', minver).replace(/\s+/g, ' ').trim();
    });
  }
}

function updateEach(versions: readonly TemplateVersions[], template: string, minVersion: string): void {
  for (const v of versions) v.update(template, minVersion);
}

/** The smallest minimal version of the main template's symbols: dpkg-shlibdeps' floor for any use of the library (get_smallest_version). */
function smallestVersion(library: SymbolsLibrary): string {
  let smallest: string | undefined;
  for (const s of library.symbols.values()) {
    if (s.dependencyId !== 0) continue;
    if (smallest === undefined || compareDebianVersions(smallest, s.minVersion) > 0) smallest = s.minVersion;
  }
  // Perl's `|| ''`: "0" is false.
  return smallest === undefined || smallest === '0' ? '' : smallest;
}

function lookupSymbol(library: SymbolsLibrary, i: LibraryImport): SymbolsSymbol | undefined {
  const node = i.version === undefined || i.version === '' ? 'Base' : i.version;
  const exact = library.symbols.get(`${i.name}@${node}`);
  if (exact !== undefined && !exact.deprecated) return exact;
  if (node === 'Base') return undefined;
  const pattern = library.symverPatterns.get(node);
  return pattern !== undefined && !pattern.deprecated ? pattern : undefined;
}

/** The imports of each soname, the needs of one soname merged, in the order of the needs. */
function importsBySoname(needs: readonly LibraryNeed[]): Map<string, LibraryImport[]> {
  const bySoname = new Map<string, LibraryImport[]>();
  for (const need of needs) {
    const imports = bySoname.get(need.soname);
    if (imports === undefined) bySoname.set(need.soname, [...need.imports]);
    else imports.push(...need.imports);
  }
  return bySoname;
}

/**
 * What one soname declared in a symbols file asks for, also recorded in `all`: the main template at
 * the library's smallest version, raised by each import found, plus the alternative templates the
 * imports' dependency ids name.
 */
function symbolsDependency(
  soname: string,
  imports: readonly LibraryImport[],
  found: { package: LibraryPackage; library: SymbolsLibrary },
  all: TemplateVersions,
): string {
  const { library } = found;
  const own = new TemplateVersions();
  updateEach([own, all], library.templates[0] ?? '', smallestVersion(library));
  for (const i of imports) {
    const symbol = lookupSymbol(library, i);
    if (symbol === undefined) continue;
    const template = library.templates[symbol.dependencyId];
    if (template === undefined) {
      throw new KpkgError(
        `${soname}: symbol ${i.name}@${i.version ?? 'Base'} names dependency template ${symbol.dependencyId}, which the symbols file of ${found.package.name} does not have`,
        {
          where: found.package.where,
          hint: 'the package that ships this file is damaged: fetch it again',
        },
      );
    }
    updateEach([own, all], template, symbol.minVersion);
  }
  return own.render().join(', ');
}

/**
 * The Depends of ELFs that need `needs`, as dpkg-shlibdeps computes them. For each soname the package
 * whose symbols file declares it is used, else the one whose shlibs file does; no declaration: the
 * soname is unresolved. With a symbols file the main template's version starts at the library's
 * smallest symbol version, and each import found (`name@version`, `name@Base` when unversioned)
 * raises it to that symbol's version; a symbol with a dependency id also brings that alternative
 * template. Weak imports count like the others (dpkg-shlibdeps only keeps them out of warnings).
 * An unversioned import is looked up in the symbols file of every need that lists it: dpkg-shlibdeps
 * takes the first library of one ELF's DT_NEEDED order, which these merged needs no longer have, and
 * counting every library that declares it is never weaker.
 */
export function resolveShlibsDepends(needs: readonly LibraryNeed[], database: ShlibsDatabase): ShlibsDepends {
  const all = new TemplateVersions();
  const resolved: ResolvedLibrary[] = [];
  const unresolved: string[] = [];
  for (const [soname, imports] of importsBySoname(needs)) {
    const symbols = database.symbolsFor(soname);
    if (symbols !== undefined) {
      const dependency = symbolsDependency(soname, imports, symbols, all);
      resolved.push({ soname, package: symbols.package.name, source: 'symbols', dependency });
      continue;
    }
    const shlibs = database.shlibsFor(soname);
    if (shlibs !== undefined) {
      all.update(shlibs.dependency, '');
      resolved.push({ soname, package: shlibs.package.name, source: 'shlibs', dependency: shlibs.dependency });
      continue;
    }
    unresolved.push(soname);
  }
  return { depends: mergeDepends(all.render()), resolved, unresolved };
}
