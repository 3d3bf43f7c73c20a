/**
 * symbols control files (deb-symbols(5)), parsed like Dpkg::Shlibs::SymbolFile: per soname, the
 * dependency templates and the package version that introduced each symbol.
 */
import { KpkgError } from '../util/errors.js';

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

/** A symbol line: indented, or marked `#MISSING: <version>#` (`#DEPRECATED:` in old files). */
const SYMBOL_LINE = /^(?:\s+|#(?:DEPRECATED|MISSING): ([^#]+)#\s*)(.*)$/;
/** `| <template>`: an alternative dependency template of the library above. */
const ALTERNATIVE_LINE = /^\|\s*(.*)$/;
/** `* <field>: <value>`: a field of the library above. */
const FIELD_LINE = /^\*\s*([^:]+):\s*(.*\S)\s*$/;
/** `<soname> <main dependency template>`: starts a library. */
const HEADER_LINE = /^(\S+)\s+(.*)$/;

/** A symbol's entry in its library: by `name@version`, or as a symver pattern; c++ and regex patterns nowhere. */
function addSymbol(library: MutableSymbolsLibrary, spec: SymbolSpec, deprecated: boolean): void {
  const entry: SymbolsSymbol = { minVersion: spec.minVersion, dependencyId: spec.dependencyId, deprecated };
  let name = spec.name;
  // The old-style pattern `*@<node>` is `(symver)<node>`.
  const oldWildcard = /^\*@(.*)$/.exec(name);
  if (oldWildcard !== null) {
    spec.tags.set('symver', spec.tags.get('symver'));
    name = oldWildcard[1] ?? '';
  }
  if (spec.tags.has('c++') || spec.tags.has('regex')) return;
  if (spec.tags.has('symver')) library.symverPatterns.set(name, entry);
  else library.symbols.set(name, entry);
}

/** Reads a symbols file line by line: each line adds to the library the last header line started. */
class SymbolsFileReader {
  readonly libraries = new Map<string, MutableSymbolsLibrary>();
  private readonly where: string;
  private current: MutableSymbolsLibrary | undefined;

  constructor(where: string) {
    this.where = where;
  }

  read(line: string, lineNumber: number): void {
    const symbol = SYMBOL_LINE.exec(line);
    if (symbol !== null) {
      this.readSymbol(symbol[2] ?? '', symbol[1] !== undefined, lineNumber);
      return;
    }
    if (line.startsWith('#') || line === '') return;
    const alternative = ALTERNATIVE_LINE.exec(line);
    if (alternative !== null) {
      this.library(lineNumber).templates.push(alternative[1] ?? '');
      return;
    }
    const field = FIELD_LINE.exec(line);
    if (field !== null) {
      this.library(lineNumber).fields.set(capitalizeField(field[1] ?? ''), field[2] ?? '');
      return;
    }
    const header = HEADER_LINE.exec(line);
    if (header !== null) this.startLibrary(header[1] ?? '', header[2] ?? '');
  }

  private readSymbol(spec: string, deprecated: boolean, lineNumber: number): void {
    if (spec.trim() === '') return;
    const library = this.library(lineNumber);
    const parsed = parseSymbolSpec(spec);
    if (parsed !== undefined) addSymbol(library, parsed, deprecated);
  }

  /** A soname named again starts over its templates, and keeps its symbols. */
  private startLibrary(soname: string, template: string): void {
    this.current = this.libraries.get(soname);
    if (this.current === undefined) {
      this.current = {
        soname,
        templates: [template],
        fields: new Map(),
        symbols: new Map(),
        symverPatterns: new Map(),
      };
      this.libraries.set(soname, this.current);
    } else {
      this.current.templates = [template];
    }
  }

  private library(lineNumber: number): MutableSymbolsLibrary {
    if (this.current !== undefined) return this.current;
    throw new KpkgError(
      `${this.where}, line ${lineNumber}: symbol information before any "<soname> <dependency template>" line`,
      {
        where: this.where,
        hint: 'the package that ships this file is damaged: fetch it again',
      },
    );
  }
}

function finishedLibrary(library: MutableSymbolsLibrary): SymbolsLibrary {
  const dev = library.fields.get('Build-Depends-Packages') ?? library.fields.get('Build-Depends-Package') ?? '';
  return {
    soname: library.soname,
    templates: library.templates,
    buildDependsPackages: dev.split(/[,\s]+/).filter((p) => p !== ''),
    symbols: library.symbols,
    symverPatterns: library.symverPatterns,
  };
}

/**
 * The libraries a symbols file describes, by soname. `where` names the file in errors. Lines that
 * do not parse are skipped (dpkg warns); `#include` is not followed (binary packages' files have
 * none); `c++` and `regex` patterns never match (kpkg does not demangle).
 */
export function parseSymbols(text: string, where = 'symbols file'): Map<string, SymbolsLibrary> {
  const reader = new SymbolsFileReader(where);
  for (const [index, raw] of text.split('\n').entries())
    reader.read(raw.endsWith('\r') ? raw.slice(0, -1) : raw, index + 1);
  const result = new Map<string, SymbolsLibrary>();
  for (const [soname, library] of reader.libraries) result.set(soname, finishedLibrary(library));
  return result;
}
