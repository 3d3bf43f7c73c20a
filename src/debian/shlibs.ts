import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KpkgError } from '../util/errors.js';
import { isNotFound, readTextOrUndefined } from '../util/fs.js';
import { IO_PARALLELISM, mapLimit } from '../util/pool.js';

/**
 * The Depends of packages that ship ELF programs, computed the way dpkg-shlibdeps(1) does, from the
 * target architecture's shlibs and symbols control files (deb-shlibs(5), deb-symbols(5)): those kpkg's
 * target sysroot keeps under .kpkg/control/<package>/, or a dpkg database's info directory of the
 * target architecture. Never the build machine's libraries: which package provides a soname is read
 * from the control files that declare it, not by finding the library file.
 */

// The input types are neutral data; another file will own them later (keep the names).

export interface LibraryImport {
  readonly name: string;
  readonly version?: string;
  readonly weak?: boolean;
}

/** What the shipped ELFs need from one soname: every import that the ELF's verneed ties to it, plus unversioned imports (which may come from any needed library). */
export interface LibraryNeed {
  readonly soname: string;
  readonly imports: readonly LibraryImport[];
}

// ---------------------------------------------------------------------------------------------
// Debian versions (deb-version(7)); dpkg's lib/dpkg/version.c verrevcmp().

interface ParsedVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

function parseVersion(version: string): ParsedVersion {
  const v = version.trim();
  const colon = v.indexOf(':');
  let epoch = 0;
  let rest = v;
  if (colon >= 0) {
    const digits = v.slice(0, colon);
    epoch = /^\d+$/.test(digits) ? Number(digits) : 0;
    rest = v.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  return hyphen >= 0 ? { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) } : { epoch, upstream: rest, revision: '' };
}

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

/** dpkg's order(): `~` sorts before everything, even the end of the string; letters before other characters. */
function order(c: string): number {
  if (c === '' || isDigit(c)) return 0;
  if (/^[A-Za-z]$/.test(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a.charAt(i))) || (j < b.length && !isDigit(b.charAt(j)))) {
      const ac = order(a.charAt(i));
      const bc = order(b.charAt(j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a.charAt(i) === '0') i++;
    while (b.charAt(j) === '0') j++;
    let firstDiff = 0;
    while (isDigit(a.charAt(i)) && isDigit(b.charAt(j))) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a.charAt(i))) return 1;
    if (isDigit(b.charAt(j))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/**
 * Orders two Debian versions as dpkg does: epoch numerically, then the upstream part and the
 * revision with `~` before anything (1.0~rc1 < 1.0), letters before other characters and digit runs
 * compared as numbers of any length. Negative, zero or positive, like a sort comparator.
 */
export function compareDebianVersions(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (va.epoch !== vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  const upstream = verrevcmp(va.upstream, vb.upstream);
  if (upstream !== 0) return Math.sign(upstream);
  return Math.sign(verrevcmp(va.revision, vb.revision));
}

// ---------------------------------------------------------------------------------------------
// shlibs files (deb-shlibs(5)).

/** A soname as shlibs files name it: `<name>.so.<version>`, or `<name>-<version>.so` when the version starts with a digit (dpkg-shlibdeps' split_soname). */
export function splitSoname(soname: string): { name: string; version: string } | undefined {
  const stable = /^(.+)\.so\.(.+)$/.exec(soname);
  if (stable !== null) return { name: stable[1] ?? '', version: stable[2] ?? '' };
  const unstable = /^(.+)-(\d.*)\.so$/.exec(soname);
  if (unstable !== null) return { name: unstable[1] ?? '', version: unstable[2] ?? '' };
  return undefined;
}

export interface ShlibsEntry {
  /** `udeb` and the like; undefined for the untyped entries that debs use. */
  readonly type: string | undefined;
  /** The soname's name part, `lib` included: `libz` for libz.so.1. */
  readonly library: string;
  readonly soversion: string;
  /** A Depends value, used as it is. */
  readonly dependency: string;
}

/** The entries of a shlibs file; comments, blank and malformed lines are skipped, as dpkg-shlibdeps does (it warns). */
export function parseShlibs(text: string): ShlibsEntry[] {
  const entries: ShlibsEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^\s*(?:(\S+):\s+)?(\S+)\s+(\S+)(?:\s+(\S(?:.*\S)?))?\s*$/.exec(line);
    if (m === null) continue;
    entries.push({ type: m[1], library: m[2] ?? '', soversion: m[3] ?? '', dependency: m[4] ?? '' });
  }
  return entries;
}

/**
 * The dependency a shlibs file gives for a soname, for a deb: a `deb:` entry wins, else the first
 * untyped one; other types (udeb) never count. Undefined when the file does not declare the soname.
 */
export function shlibsDependency(entries: readonly ShlibsEntry[], soname: string): string | undefined {
  const split = splitSoname(soname);
  if (split === undefined) return undefined;
  let found: string | undefined;
  for (const e of entries) {
    if (e.library !== split.name || e.soversion !== split.version) continue;
    if (e.type === 'deb') return e.dependency;
    if (e.type === undefined) found ??= e.dependency;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// symbols files (deb-symbols(5)), parsed like Dpkg::Shlibs::SymbolFile.

export interface SymbolsSymbol {
  /** The package version that introduced the symbol; `0`: no constraint. */
  readonly minVersion: string;
  /** 0: the main dependency template only; n: also the n-th alternative (`|`) template. */
  readonly dependencyId: number;
  /** A `#MISSING: <version>#` line: not looked up, as dpkg-shlibdeps does not. */
  readonly deprecated: boolean;
}

export interface SymbolsLibrary {
  readonly soname: string;
  /** [0] the main dependency template, [n] the n-th `|` alternative; `#MINVER#` not yet replaced. */
  readonly templates: readonly string[];
  /** Build-Depends-Packages, else Build-Depends-Package: the -dev packages whose build dependency may raise the minimal version. */
  readonly buildDependsPackages: readonly string[];
  /** By `name@version`, `name@Base` for unversioned symbols. */
  readonly symbols: ReadonlyMap<string, SymbolsSymbol>;
  /** `(symver)<node>` (and old-style `*@<node>`) patterns, by version node: they match every `name@<node>`. */
  readonly symverPatterns: ReadonlyMap<string, SymbolsSymbol>;
}

interface MutableSymbolsLibrary {
  soname: string;
  templates: string[];
  fields: Map<string, string>;
  symbols: Map<string, SymbolsSymbol>;
  symverPatterns: Map<string, SymbolsSymbol>;
}

interface SymbolSpec {
  name: string;
  tags: Map<string, string | undefined>;
  minVersion: string;
  dependencyId: number;
}

/** `[(tag|tag=value)]name minver [dep-id]`, as Dpkg::Shlibs::Symbol::parse_symbolspec. */
function parseSymbolSpec(spec: string): SymbolSpec | undefined {
  const tags = new Map<string, string | undefined>();
  let name: string;
  let rest: string;
  const tagged = /^\s*\((.*?)\)(.*)$/.exec(spec);
  if (tagged !== null && (tagged[1] ?? '') !== '') {
    for (const tag of (tagged[1] ?? '').split('|')) {
      const eq = /^(.*)=(.*)$/.exec(tag);
      if (eq === null) tags.set(tag, undefined);
      else tags.set(eq[1] ?? '', eq[2] ?? '');
    }
    const after = tagged[2] ?? '';
    const quoted = /^(['"])(.*?)\1(.*)$/.exec(after);
    const plain = /^(\S+)(.*)$/.exec(after);
    if (quoted !== null) {
      name = quoted[2] ?? '';
      rest = quoted[3] ?? '';
    } else if (plain !== null) {
      name = plain[1] ?? '';
      rest = plain[2] ?? '';
    } else {
      return undefined;
    }
    if (name === '') return undefined;
  } else {
    const plain = /^(\S+)(.*)$/.exec(spec);
    if (plain === null) return undefined;
    name = plain[1] ?? '';
    rest = plain[2] ?? '';
  }
  const versions = /^\s(\S+)(?:\s(\d+))?/.exec(rest);
  if (versions === null) return undefined;
  return { name, tags, minVersion: versions[1] ?? '', dependencyId: Number(versions[2] ?? '0') };
}

function capitalizeField(name: string): string {
  return name
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('-');
}

/**
 * The libraries a symbols file describes, by soname. `where` names the file in errors. Lines that
 * do not parse are skipped (dpkg warns); `#include` is not followed (binary packages' files have
 * none); `c++` and `regex` patterns never match (kpkg does not demangle).
 */
export function parseSymbols(text: string, where = 'symbols file'): Map<string, SymbolsLibrary> {
  const libraries = new Map<string, MutableSymbolsLibrary>();
  let current: MutableSymbolsLibrary | undefined;
  const needHeader = (lineNumber: number): MutableSymbolsLibrary => {
    if (current !== undefined) return current;
    throw new KpkgError(`${where}, line ${lineNumber}: symbol information before any "<soname> <dependency template>" line`, { where, hint: 'the package that ships this file is damaged: fetch it again' });
  };
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const symbol = /^(?:\s+|#(?:DEPRECATED|MISSING): ([^#]+)#\s*)(.*)$/.exec(line);
    if (symbol !== null) {
      if ((symbol[2] ?? '').trim() === '') continue;
      const library = needHeader(index + 1);
      const spec = parseSymbolSpec(symbol[2] ?? '');
      if (spec === undefined) continue;
      const entry: SymbolsSymbol = { minVersion: spec.minVersion, dependencyId: spec.dependencyId, deprecated: symbol[1] !== undefined };
      let name = spec.name;
      const oldWildcard = /^\*@(.*)$/.exec(name);
      if (oldWildcard !== null) {
        spec.tags.set('symver', spec.tags.get('symver'));
        name = oldWildcard[1] ?? '';
      }
      if (spec.tags.has('c++') || spec.tags.has('regex')) continue;
      if (spec.tags.has('symver')) library.symverPatterns.set(name, entry);
      else library.symbols.set(name, entry);
      continue;
    }
    if (line.startsWith('#') || line === '') continue;
    const alternative = /^\|\s*(.*)$/.exec(line);
    if (alternative !== null) {
      needHeader(index + 1).templates.push(alternative[1] ?? '');
      continue;
    }
    const field = /^\*\s*([^:]+):\s*(.*\S)\s*$/.exec(line);
    if (field !== null) {
      needHeader(index + 1).fields.set(capitalizeField(field[1] ?? ''), field[2] ?? '');
      continue;
    }
    const header = /^(\S+)\s+(.*)$/.exec(line);
    if (header !== null) {
      const soname = header[1] ?? '';
      const template = header[2] ?? '';
      current = libraries.get(soname);
      if (current === undefined) {
        current = { soname, templates: [template], fields: new Map(), symbols: new Map(), symverPatterns: new Map() };
        libraries.set(soname, current);
      } else {
        current.templates = [template];
      }
    }
  }
  const result = new Map<string, SymbolsLibrary>();
  for (const [soname, l] of libraries) {
    const dev = l.fields.get('Build-Depends-Packages') ?? l.fields.get('Build-Depends-Package') ?? '';
    result.set(soname, {
      soname,
      templates: l.templates,
      buildDependsPackages: dev.split(/[,\s]+/).filter((p) => p !== ''),
      symbols: l.symbols,
      symverPatterns: l.symverPatterns,
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Where the control files come from.

export interface LibraryPackage {
  /** The package name, without an architecture qualifier: what a Depends names. */
  readonly name: string;
  /**
   * Known to be of the target architecture (`<package>:<arch>` in a dpkg database, a matching
   * Architecture in a control directory). When two packages declare a soname, one that is wins.
   */
  readonly qualified: boolean;
  readonly symbols: ReadonlyMap<string, SymbolsLibrary> | undefined;
  readonly shlibs: readonly ShlibsEntry[] | undefined;
  /** Its symbols file, else its shlibs file: for messages. */
  readonly where: string;
}

async function readDirNames(dir: string, hint: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (e) {
    if (isNotFound(e)) throw new KpkgError(`no package control files in ${dir}`, { where: dir, hint });
    throw e;
  }
}

function controlField(control: string, field: string): string | undefined {
  const m = new RegExp(`^${field}:[ \\t]*(.*?)\\s*$`, 'im').exec(control);
  return m?.[1];
}

/** The control files (shlibs, symbols) of the target architecture's library packages, and which package declares a soname. */
export class ShlibsDatabase {
  readonly packages: readonly LibraryPackage[];
  /** The directory the packages were read from, for messages. */
  readonly where: string;

  constructor(packages: readonly LibraryPackage[], where: string) {
    this.packages = packages;
    this.where = where;
  }

  /**
   * `<root>/.kpkg/control/<package>/{shlibs,symbols,control}`, as kpkg's target sysroot keeps them
   * (src/sysroot/target-sysroot.ts). With `architecture`, only packages whose control file says that
   * Architecture count.
   */
  static async fromControlDirs(root: string, options: { architecture?: string } = {}): Promise<ShlibsDatabase> {
    const base = join(root, '.kpkg/control');
    const names = await readDirNames(base, 'prepare the target sysroot again (its cache directory can be removed)');
    const packages = await mapLimit(names, IO_PARALLELISM, async (name) => {
      const dir = join(base, name);
      if (options.architecture !== undefined) {
        const control = await readTextOrUndefined(join(dir, 'control'));
        if (control === undefined || controlField(control, 'Architecture') !== options.architecture) return undefined;
      }
      return readPackage(name, true, join(dir, 'symbols'), join(dir, 'shlibs'));
    });
    return new ShlibsDatabase(packages.filter((p) => p !== undefined), base);
  }

  /**
   * A dpkg database's info directory, `<root>/var/lib/dpkg/info`: the files of `<package>:<architecture>`,
   * and with `unqualified` those of plain `<package>` too — dpkg names so the packages that are not
   * Multi-Arch: same, of the native architecture or `all` (cross-toolchain packages among them).
   */
  static async fromDpkgInfo(root: string, architecture: string, options: { unqualified?: boolean } = {}): Promise<ShlibsDatabase> {
    const base = join(root, 'var/lib/dpkg/info');
    const seen = new Map<string, { name: string; qualified: boolean }>();
    for (const file of await readDirNames(base, 'pass the root of a Debian system of the target architecture')) {
      const m = /^(.+)\.(?:shlibs|symbols)$/.exec(file);
      if (m === null) continue;
      const id = m[1] ?? '';
      const colon = id.indexOf(':');
      if (colon >= 0 ? id.slice(colon + 1) !== architecture : options.unqualified !== true) continue;
      seen.set(id, { name: colon >= 0 ? id.slice(0, colon) : id, qualified: colon >= 0 });
    }
    const packages = await mapLimit([...seen], IO_PARALLELISM, ([id, { name, qualified }]) => readPackage(name, qualified, join(base, `${id}.symbols`), join(base, `${id}.shlibs`)));
    return new ShlibsDatabase(packages.filter((p) => p !== undefined), base);
  }

  /** The symbols file entry of the package that declares `soname`, if any. */
  symbolsFor(soname: string): { package: LibraryPackage; library: SymbolsLibrary } | undefined {
    const found = this.pick(soname, 'symbols', (p) => p.symbols?.get(soname));
    return found === undefined ? undefined : { package: found.package, library: found.value };
  }

  /** The package whose symbols file (else shlibs file) declares `soname`, if any. */
  packageOf(soname: string): string | undefined {
    return this.symbolsFor(soname)?.package.name ?? this.shlibsFor(soname)?.package.name;
  }

  /** The shlibs dependency of the package that declares `soname`, if any. */
  shlibsFor(soname: string): { package: LibraryPackage; dependency: string } | undefined {
    const found = this.pick(soname, 'shlibs', (p) => (p.shlibs === undefined ? undefined : shlibsDependency(p.shlibs, soname)));
    return found === undefined ? undefined : { package: found.package, dependency: found.value };
  }

  private pick<T>(soname: string, kind: string, get: (p: LibraryPackage) => T | undefined): { package: LibraryPackage; value: T } | undefined {
    const all: { package: LibraryPackage; value: T }[] = [];
    for (const p of this.packages) {
      const value = get(p);
      if (value !== undefined) all.push({ package: p, value });
    }
    const qualified = all.filter((c) => c.package.qualified);
    const candidates = qualified.length > 0 ? qualified : all;
    const names = [...new Set(candidates.map((c) => c.package.name))];
    if (names.length > 1) {
      throw new KpkgError(`${soname} is declared by the ${kind} files of more than one package: ${names.join(', ')}`, {
        where: this.where,
        hint: 'read the control files of the target architecture only (a dpkg database: leave out packages without :<arch>)',
      });
    }
    return candidates[0];
  }
}

async function readPackage(name: string, qualified: boolean, symbolsPath: string, shlibsPath: string): Promise<LibraryPackage | undefined> {
  const symbolsText = await readTextOrUndefined(symbolsPath);
  const shlibsText = await readTextOrUndefined(shlibsPath);
  if (symbolsText === undefined && shlibsText === undefined) return undefined;
  return {
    name,
    qualified,
    where: symbolsText === undefined ? shlibsPath : symbolsPath,
    symbols: symbolsText === undefined ? undefined : parseSymbols(symbolsText, symbolsPath),
    shlibs: shlibsText === undefined ? undefined : parseShlibs(shlibsText),
  };
}

// ---------------------------------------------------------------------------------------------
// Depends: relations, implication, order (Dpkg::Deps).

type Relation = '>=' | '>>' | '=' | '<<' | '<=';

interface SimpleDep {
  readonly name: string;
  readonly relation: Relation | undefined;
  readonly version: string;
}

/** One Depends clause: alternatives (`a | b`), or text kpkg does not parse, kept as it is. */
type Clause = { readonly kind: 'or'; readonly alternatives: readonly SimpleDep[] } | { readonly kind: 'opaque'; readonly text: string };

const RELATION_ORDER: Record<Relation | 'none', number> = { none: 0, '>=': 1, '>>': 2, '=': 3, '<<': 4, '<=': 5 };

function parseSimple(text: string): SimpleDep | undefined {
  const m = /^([A-Za-z0-9][A-Za-z0-9+.-]*(?::[A-Za-z0-9-]+)?)\s*(?:\(\s*(<<|<=|>=|>>|=|<|>)\s*([^\s()]+)\s*\))?$/.exec(text.trim());
  if (m === null) return undefined;
  const raw = m[2];
  // Deprecated `<` and `>` mean `<=` and `>=` (deb-control(5)).
  const relation: Relation | undefined = raw === undefined ? undefined : raw === '<' ? '<=' : raw === '>' ? '>=' : (raw as Relation);
  return { name: m[1] ?? '', relation, version: relation === undefined ? '' : (m[3] ?? '') };
}

function parseClause(text: string): Clause {
  const alternatives = text.split('|').map(parseSimple);
  if (alternatives.every((a): a is SimpleDep => a !== undefined)) return { kind: 'or', alternatives };
  return { kind: 'opaque', text: text.trim().replace(/\s+/g, ' ') };
}

function formatSimple(d: SimpleDep): string {
  return d.relation === undefined ? d.name : `${d.name} (${d.relation} ${d.version})`;
}

function formatClause(c: Clause): string {
  return c.kind === 'opaque' ? c.text : c.alternatives.map(formatSimple).join(' | ');
}

/** Whether every version that satisfies `p` satisfies `q` (Dpkg::Deps::Simple implies). */
function simpleImplies(p: SimpleDep, q: SimpleDep): boolean {
  if (p.name !== q.name) return false;
  if (q.relation === undefined) return true;
  if (p.relation === undefined) return false;
  const c = compareDebianVersions(p.version, q.version);
  switch (q.relation) {
    case '>=':
      return (p.relation === '>=' || p.relation === '>>' || p.relation === '=') && c >= 0;
    case '>>':
      return (p.relation === '>>' && c >= 0) || ((p.relation === '>=' || p.relation === '=') && c > 0);
    case '<=':
      return (p.relation === '<=' || p.relation === '<<' || p.relation === '=') && c <= 0;
    case '<<':
      return (p.relation === '<<' && c <= 0) || ((p.relation === '<=' || p.relation === '=') && c < 0);
    case '=':
      return p.relation === '=' && c === 0;
  }
}

/** Whether clause `p` implies clause `q`: each alternative of `p` implies one of `q`. */
function clauseImplies(p: Clause, q: Clause): boolean {
  if (p.kind === 'opaque' || q.kind === 'opaque') return p.kind === 'opaque' && q.kind === 'opaque' && p.text === q.text;
  return p.alternatives.every((a) => q.alternatives.some((b) => simpleImplies(a, b)));
}

function flatten(c: Clause): { name: string; relation: number; version: string }[] {
  if (c.kind === 'opaque') return [{ name: c.text, relation: 0, version: '' }];
  return c.alternatives.map((a) => ({ name: a.name, relation: RELATION_ORDER[a.relation ?? 'none'], version: a.version }));
}

/** Dpkg::Deps::deps_compare: package name, then relation (none, >=, >>, =, <<, <=), then the version as text. */
function compareClauses(a: Clause, b: Clause): number {
  const as = flatten(a);
  const bs = flatten(b);
  for (let i = 0; ; i++) {
    const x = as[i];
    const y = bs[i];
    if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
    if (x.name !== y.name) return x.name < y.name ? -1 : 1;
    if (x.relation !== y.relation) return x.relation - y.relation;
    if (x.version !== y.version) return x.version < y.version ? -1 : 1;
  }
}

/**
 * Depends clauses (each may hold `|` alternatives) made into the list a control file holds: duplicates
 * and clauses another one implies dropped — `libc6 (>= 2.34)` goes when `libc6 (>= 2.36)` or
 * `libc6 (>> 2.36)` is there, a bare `libc6` when any versioned one is, as dpkg-gencontrol's
 * simplification does — and sorted as dpkg-shlibdeps sorts its output (by package name).
 */
export function mergeDepends(clauses: readonly string[]): string[] {
  const parsed: Clause[] = [];
  const texts = new Set<string>();
  for (const raw of clauses) {
    for (const part of raw.split(',')) {
      if (part.trim() === '') continue;
      const clause = parseClause(part);
      const text = formatClause(clause);
      if (texts.has(text)) continue;
      texts.add(text);
      parsed.push(clause);
    }
  }
  const kept = parsed.filter((q, i) =>
    !parsed.some((p, j) => {
      if (j === i || !clauseImplies(p, q)) return false;
      // Two clauses that imply each other: the first one stays.
      return !clauseImplies(q, p) || j < i;
    }),
  );
  return kept.sort(compareClauses).map(formatClause);
}

// ---------------------------------------------------------------------------------------------
// Resolution (dpkg-shlibdeps).

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
      if (current === undefined || current === '' || (minVersion !== '' && compareDebianVersions(minVersion, current) > 0)) this.versions.set(key, minVersion);
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
  const bySoname = new Map<string, LibraryImport[]>();
  for (const need of needs) {
    const imports = bySoname.get(need.soname);
    if (imports === undefined) bySoname.set(need.soname, [...need.imports]);
    else imports.push(...need.imports);
  }
  const resolved: ResolvedLibrary[] = [];
  const unresolved: string[] = [];
  for (const [soname, imports] of bySoname) {
    const symbols = database.symbolsFor(soname);
    if (symbols !== undefined) {
      const { library } = symbols;
      const own = new TemplateVersions();
      const update = (template: string, version: string): void => {
        own.update(template, version);
        all.update(template, version);
      };
      update(library.templates[0] ?? '', smallestVersion(library));
      for (const i of imports) {
        const symbol = lookupSymbol(library, i);
        if (symbol === undefined) continue;
        const template = library.templates[symbol.dependencyId];
        if (template === undefined) {
          throw new KpkgError(`${soname}: symbol ${i.name}@${i.version ?? 'Base'} names dependency template ${symbol.dependencyId}, which the symbols file of ${symbols.package.name} does not have`, {
            where: symbols.package.where,
            hint: 'the package that ships this file is damaged: fetch it again',
          });
        }
        update(template, symbol.minVersion);
      }
      resolved.push({ soname, package: symbols.package.name, source: 'symbols', dependency: own.render().join(', ') });
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
