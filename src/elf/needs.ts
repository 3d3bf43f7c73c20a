/**
 * What a set of shipped ELF files needs from shared libraries, as neutral data: per soname, the
 * symbols imported from it (with their version nodes). Each distribution layout turns it into its
 * own relations — Debian packages through the target's shlibs/symbols files, RPM soname requires,
 * pacman package names — the way dpkg-shlibdeps and rpm's elfdeps read the same ELF data.
 */
import { IO_PARALLELISM, mapLimit } from '../util/pool.js';
import { readDynamicFile, type DynamicInfo } from './dynamic.js';

export interface LibraryImport {
  readonly name: string;
  /** The version node (GLIBC_2.34), when the import is versioned. */
  readonly version?: string | undefined;
  readonly weak?: boolean | undefined;
}

/** What the shipped ELFs need from one soname: imports tied to it by version, and unversioned imports of the files that need it. */
export interface LibraryNeed {
  readonly soname: string;
  readonly imports: readonly LibraryImport[];
}

export interface RuntimeNeeds {
  /** ELF class of the files that need libraries (rpm marks 64-bit sonames "()(64bit)"); undefined when none does. */
  readonly elfClass?: 32 | 64 | undefined;
  /** Sorted by soname; sonames the files provide themselves are left out. */
  readonly libraries: readonly LibraryNeed[];
  /** Each file that needs any library (package path → its DT_NEEDED), sorted by path. */
  readonly files: readonly { readonly path: string; readonly needed: readonly string[] }[];
}

/** Folds the dynamic sections of a package's files (path → parsed info) into its needs. */
export function runtimeNeedsOf(infos: readonly { path: string; info: DynamicInfo | undefined }[]): RuntimeNeeds {
  const provided = new Set(infos.flatMap(({ info }) => (info?.soname === undefined ? [] : [info.soname])));
  const imports = new Map<string, Map<string, LibraryImport>>();
  const files: { path: string; needed: string[] }[] = [];
  let elfClass: 32 | 64 | undefined;
  for (const { path, info } of infos) {
    if (info === undefined || info.needed.length === 0) continue;
    // The ELF gate let through only the target's identity: one class for every file.
    elfClass ??= info.elfClass;
    files.push({ path, needed: [...info.needed] });
    const needed = info.needed.filter((soname) => !provided.has(soname));
    for (const soname of needed) if (!imports.has(soname)) imports.set(soname, new Map());
    for (const symbol of info.imports) {
      // A versioned import belongs to the library its version node names (.gnu.version_r); an
      // unversioned one may come from any library the file needs, as dpkg-shlibdeps assumes.
      const owners = symbol.library !== undefined ? [symbol.library].filter((s) => needed.includes(s)) : needed;
      for (const soname of owners) {
        const key = `${symbol.name}@${symbol.version ?? ''}`;
        imports.get(soname)?.set(key, { name: symbol.name, version: symbol.version, weak: symbol.weak });
      }
    }
  }
  const libraries = [...imports]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([soname, m]) => ({
      soname,
      imports: [...m.values()].sort((a, b) =>
        `${a.name}@${a.version ?? ''}` < `${b.name}@${b.version ?? ''}` ? -1 : 1,
      ),
    }));
  return { elfClass, libraries, files: files.sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

/** The needs of files on disk (package path and where it is). */
export async function readRuntimeNeeds(files: readonly { path: string; source: string }[]): Promise<RuntimeNeeds> {
  return runtimeNeedsOf(
    await mapLimit(files, IO_PARALLELISM, async (f) => ({ path: f.path, info: await readDynamicFile(f.source) })),
  );
}
