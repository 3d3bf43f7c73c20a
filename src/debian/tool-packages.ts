/**
 * The Debian/Ubuntu package that installs a compiler or binutils program, from the program's name
 * alone: the cross toolchains are `<tool>[-<N>]-<triplet>` (gcc-defaults and gcc-<N>'s cross
 * packages: `g++-aarch64-linux-gnu` ships /usr/bin/aarch64-linux-gnu-g++, `g++-12-aarch64-linux-gnu`
 * ships aarch64-linux-gnu-g++-12), binutils one package per triplet, LLVM one package per version.
 */

/** GNU compiler drivers and the package each comes in (`gcc`, `g++`, `cpp`, version kept). */
const GNU_COMPILERS: ReadonlySet<string> = new Set(['gcc', 'g++', 'cpp']);

/** The binutils programs kpkg runs. */
const BINUTILS: ReadonlySet<string> = new Set(['ld', 'ld.bfd', 'ar', 'objcopy', 'strip', 'nm', 'objdump', 'readelf']);

/** In a package name, a triplet's '_' is '-' (x86_64-linux-gnu → gcc-x86-64-linux-gnu). */
function packageTriplet(triplet: string): string {
  return triplet.replaceAll('_', '-');
}

/** `name-12` → ['name', '-12']; a name without a version → [name, '']. */
function splitVersion(name: string): [string, string] {
  const m = /^(.*?)(-\d+(?:\.\d+)*)?$/.exec(name);
  return [m?.[1] ?? name, m?.[2] ?? ''];
}

/** LLVM's tools of one version: clang/clang++ in clang-N, ld.lld in lld-N, llvm-* in llvm-N. */
function llvmPackage(tool: string, suffix: string): string | undefined {
  if (tool === 'clang' || tool === 'clang++') return `clang${suffix}`;
  if (tool === 'ld.lld') return `lld${suffix}`;
  if (tool.startsWith('llvm-')) return `llvm${suffix}`;
  return undefined;
}

/**
 * The package that provides `program` on Debian/Ubuntu, or undefined for a name no package there
 * has (a toolchain of another vendor, such as aarch64-none-linux-gnu-gcc). `triplets.build` is the
 * build machine's own triplet, whose prefixed programs come with the native packages.
 */
export function debianToolPackage(program: string, triplets: { target: string; build: string }): string | undefined {
  const slash = program.lastIndexOf('/');
  const dir = program.slice(0, slash + 1);
  const name = program.slice(slash + 1);
  // /usr/lib/llvm-15/bin/clang: LLVM=/usr/lib/llvm-15/bin/ names a version by its directory.
  const llvmDir = /^\/usr\/lib\/llvm-(\d+)\/bin\/$/.exec(dir);
  if (llvmDir !== null) return llvmPackage(name, `-${llvmDir[1] ?? ''}`);
  if (dir !== '' && dir !== '/usr/bin/' && dir !== '/bin/') return undefined;
  for (const triplet of new Set([triplets.target, triplets.build])) {
    if (!name.startsWith(`${triplet}-`)) continue;
    const [tool, suffix] = splitVersion(name.slice(triplet.length + 1));
    const native = triplet === triplets.build;
    if (GNU_COMPILERS.has(tool)) return native ? `${tool}${suffix}` : `${tool}${suffix}-${packageTriplet(triplet)}`;
    if (BINUTILS.has(tool) && suffix === '') return native ? 'binutils' : `binutils-${packageTriplet(triplet)}`;
    return undefined;
  }
  const [tool, suffix] = splitVersion(name);
  if (GNU_COMPILERS.has(tool)) return `${tool}${suffix}`;
  if (BINUTILS.has(tool) && suffix === '') return 'binutils';
  return llvmPackage(tool, suffix);
}
