/**
 * Where the shlibs and symbols control files of the target architecture's library packages are
 * read from — a dpkg database's info directory, or the control directories kpkg's target sysroot
 * keeps — and which package declares a soname.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KpkgError } from '../util/errors.js';
import { isNotFound, readTextOrUndefined } from '../util/fs.js';
import { IO_PARALLELISM, mapLimit } from '../util/pool.js';
import { parseShlibs, shlibsDependency, type ShlibsEntry } from './shlibs-file.js';
import { parseSymbols, type SymbolsLibrary } from './symbols-file.js';

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

/** A package with a symbols or a shlibs file (else undefined), both parsed. */
async function readPackage(
  name: string,
  qualified: boolean,
  symbolsPath: string,
  shlibsPath: string,
): Promise<LibraryPackage | undefined> {
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

/** A package of kpkg's control directories; with `architecture`, only if its control file says that Architecture. */
async function readControlDir(
  dir: string,
  name: string,
  architecture: string | undefined,
): Promise<LibraryPackage | undefined> {
  if (architecture !== undefined) {
    const control = await readTextOrUndefined(join(dir, 'control'));
    if (control === undefined || controlField(control, 'Architecture') !== architecture) return undefined;
  }
  return readPackage(name, true, join(dir, 'symbols'), join(dir, 'shlibs'));
}

/** The packages of an info directory's file names that have shlibs or symbols (by their dpkg id, `<package>[:<arch>]`). */
function dpkgInfoPackages(
  files: readonly string[],
  architecture: string,
  unqualified: boolean,
): Map<string, { name: string; qualified: boolean }> {
  const ids = new Map<string, { name: string; qualified: boolean }>();
  for (const file of files) {
    const m = /^(.+)\.(?:shlibs|symbols)$/.exec(file);
    if (m === null) continue;
    const id = m[1] ?? '';
    const colon = id.indexOf(':');
    if (colon >= 0 ? id.slice(colon + 1) !== architecture : !unqualified) continue;
    ids.set(id, { name: colon >= 0 ? id.slice(0, colon) : id, qualified: colon >= 0 });
  }
  return ids;
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
    const packages = await mapLimit(names, IO_PARALLELISM, (name) =>
      readControlDir(join(base, name), name, options.architecture),
    );
    return new ShlibsDatabase(
      packages.filter((p) => p !== undefined),
      base,
    );
  }

  /**
   * A dpkg database's info directory, `<root>/var/lib/dpkg/info`: the files of `<package>:<architecture>`,
   * and with `unqualified` those of plain `<package>` too — dpkg names so the packages that are not
   * Multi-Arch: same, of the native architecture or `all` (cross-toolchain packages among them).
   */
  static async fromDpkgInfo(
    root: string,
    architecture: string,
    options: { unqualified?: boolean } = {},
  ): Promise<ShlibsDatabase> {
    const base = join(root, 'var/lib/dpkg/info');
    const files = await readDirNames(base, 'pass the root of a Debian system of the target architecture');
    const ids = dpkgInfoPackages(files, architecture, options.unqualified === true);
    const packages = await mapLimit([...ids], IO_PARALLELISM, ([id, { name, qualified }]) =>
      readPackage(name, qualified, join(base, `${id}.symbols`), join(base, `${id}.shlibs`)),
    );
    return new ShlibsDatabase(
      packages.filter((p) => p !== undefined),
      base,
    );
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
    const found = this.pick(soname, 'shlibs', (p) =>
      p.shlibs === undefined ? undefined : shlibsDependency(p.shlibs, soname),
    );
    return found === undefined ? undefined : { package: found.package, dependency: found.value };
  }

  private pick<T>(
    soname: string,
    kind: string,
    get: (p: LibraryPackage) => T | undefined,
  ): { package: LibraryPackage; value: T } | undefined {
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
