/**
 * Which Debian package provides a soname when no shlibs or symbols file says it: the names Debian
 * Policy 8.1 gives library packages, and the libraries whose packages it does not name.
 */

/**
 * Debian policy 8.1's name for the package of a soname, for when no package data says it:
 * libfoo.so.1 → libfoo1, libfoo2.so.3 → libfoo2-3; '_' is not allowed in package names.
 */
export function conventionalPackageName(soname: string): string {
  const m = /^(.+)\.so\.([^/]+)$/.exec(soname);
  const [stem, version] = m === null ? [soname.replace(/\.so$/, ''), ''] : [m[1] ?? '', m[2] ?? ''];
  const name = /\d$/.test(stem) && version !== '' ? `${stem}-${version}` : `${stem}${version}`;
  return name.toLowerCase().replace(/_/g, '-');
}

/**
 * Sonames whose Debian package policy 8.1's rule does not name: the C library's (glibc ships them
 * all in libc6), OpenSSL's (libssl3, libssl3t64 since trixie's 64-bit time_t transition), zlib's
 * and the compiler's run-time.
 */
const KNOWN_PACKAGES: readonly [RegExp, readonly string[]][] = [
  [/^(libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl)\.so\.\d+$|^ld(-linux[\w.-]*|64)\.so\.\d+$/, ['libc6']],
  [/^lib(crypto|ssl)\.so\.3$/, ['libssl3', 'libssl3t64']],
  [/^libz\.so\.1$/, ['zlib1g']],
  [/^libgcc_s\.so\.1$/, ['libgcc-s1']],
];

/** The packages that may provide a soname when no package data says which: known names, else policy 8.1's (and its t64 rename). */
export function conventionalPackages(soname: string): string[] {
  const known = KNOWN_PACKAGES.find(([pattern]) => pattern.test(soname));
  if (known !== undefined) return [...known[1]];
  const name = conventionalPackageName(soname);
  return [name, `${name}t64`];
}
