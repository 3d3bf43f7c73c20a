/** shlibs control files (deb-shlibs(5)): which package, and which version of it, a soname needs. */

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
