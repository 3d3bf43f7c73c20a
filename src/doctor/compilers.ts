import { execa } from 'execa';
import type { ArchInfo } from '../arch/arch-table.js';
import { hostArch } from '../arch/host.js';
import { debianToolPackage } from '../debian/tool-packages.js';
import { programWords } from '../kernel/cmd-files.js';
import { probeCompile } from '../sysroot/probe-compile.js';
import { onPath } from '../util/on-path.js';
import type { CheckResult, Fix } from './checks.js';

/**
 * The target's compilers, each its own check: found on PATH, able to build a program, and (g++) of
 * the C compiler's major version. Everything that compiles with one of them is checked after it.
 */

/** The program of a compiler command: the last word before the options (`ccache aarch64-linux-gnu-gcc -O2` → aarch64-linux-gnu-gcc). */
export function compilerProgram(words: readonly string[]): string {
  return programWords(words).at(-1) ?? '';
}

/**
 * One command that installs the programs: `apt-get install` of the packages that have them, and for
 * a toolchain Debian has no package of (another vendor's prefix), what to do instead.
 */
export function installPrograms(programs: readonly string[], arch: ArchInfo): string {
  const triplets = { target: arch.gnuTriplet, build: hostArch().gnuTriplet };
  const packages = programs.map((p) => debianToolPackage(p, triplets));
  const known = [...new Set(packages.filter((p) => p !== undefined))];
  const unknown = programs.filter((_, i) => packages[i] === undefined);
  return [
    ...(known.length === 0 ? [] : [`apt-get install ${known.join(' ')}`]),
    ...(unknown.length === 0
      ? []
      : [
          `install the toolchain that provides ${unknown.join(', ')}, or pass the CROSS_COMPILE= / CC= of one that is installed`,
        ]),
  ].join('; ');
}

export function installProgram(program: string, arch: ArchInfo, fedora?: string): Fix {
  return { debian: installPrograms([program], arch), ...(fedora === undefined ? {} : { fedora }) };
}

export async function cCompilerCheck(arch: ArchInfo, cc: readonly string[]): Promise<CheckResult> {
  const program = compilerProgram(cc);
  const found = await onPath(program);
  return {
    id: 'target-compiler',
    what: `C compiler for ${arch.debian} (${program})`,
    neededFor: 'headers',
    ok: found,
    detail: found ? 'found' : `${program} is not on PATH`,
    fix: installProgram(
      program,
      arch,
      program === `${arch.crossPrefix}gcc`
        ? `dnf install gcc-${arch.gnuTriplet} (Fedora's cross compilers have no target C library: use a --sysroot)`
        : undefined,
    ),
  };
}

/** The target's C library: a program links with the C compiler as it is. */
export async function cLibraryCheck(
  arch: ArchInfo,
  cc: readonly string[],
  compiler: CheckResult,
): Promise<CheckResult> {
  const what = `the ${arch.debian} C library, so host programs can be linked for the target`;
  if (!compiler.ok) return blocked('target-libc', what, compiler);
  const link = await probeCompile(cc, 'int main(void) { return 0; }\n');
  return {
    id: 'target-libc',
    what,
    neededFor: 'headers',
    ok: link.ok,
    detail: link.ok ? 'links' : link.output,
    fix: { debian: installCLibrary(arch, compilerProgram(cc)) },
  };
}

/**
 * The target's C library for a cross compiler: Debian's libc6-dev-<arch>-cross; clang links with the
 * start files and libgcc of the GNU cross toolchain of the triplet too, so it needs that gcc as well.
 */
function installCLibrary(arch: ArchInfo, program: string): string {
  const libc = `libc6-dev-${arch.debian}-cross`;
  if (!/clang(-\d+)?$/.test(program)) return `apt-get install ${libc}`;
  return `${installPrograms([`${arch.gnuTriplet}-gcc`], arch)} ${libc}`;
}

/** A check not made because the one it needs failed: it is not reported as missing. */
export function blocked(id: string, what: string, needs: CheckResult): CheckResult {
  return {
    id,
    what,
    neededFor: needs.neededFor,
    ok: false,
    detail: `not checked: it needs ${needs.what} first`,
    blockedBy: needs.id,
  };
}

/** gcc's major version as the driver reports it (`-dumpfullversion`: "12.2.0"), or undefined. */
async function gccDriverMajor(words: readonly string[]): Promise<number | undefined> {
  const [file, ...pre] = words;
  if (file === undefined) return undefined;
  const r = await execa(file, [...pre, '-dumpfullversion'], { reject: false, stdin: 'ignore' });
  const major = /^(\d+)/.exec(r.stdout.trim())?.[1];
  return r.exitCode === 0 && major !== undefined ? Number(major) : undefined;
}

/** `aarch64-linux-gnu-g++` → `aarch64-linux-gnu-g++-12` (gcc-<N>'s own name for the program). */
function withMajor(program: string, major: number): string {
  return program.replace(/(gcc|g\+\+)(-\d+(?:\.\d+)*)?$/, `$1-${major}`);
}

export interface CxxCheckInput {
  arch: ArchInfo;
  cc: readonly string[];
  cxx: readonly string[];
  /** The major of the gcc that built the kernel; without a tree, the C compiler's own is asked. */
  gccMajor?: number | undefined;
  /** What needs it, e.g. "GCC plugins". */
  purpose: string;
}

/**
 * The target's C++ compiler (GCC plugins are C++): found, of the C compiler's major when both are gcc
 * (the plugins compile against that gcc's plugin headers), and compiling with its C++ library.
 */
export async function cxxCompilerCheck(input: CxxCheckInput): Promise<CheckResult> {
  const { arch } = input;
  const program = compilerProgram(input.cxx);
  const base = {
    id: 'target-cxx-compiler',
    what: `C++ compiler for ${arch.debian} (${program}; ${input.purpose})`,
    neededFor: 'headers' as const,
    fix: installProgram(
      program,
      arch,
      program === `${arch.crossPrefix}g++` ? `dnf install gcc-c++-${arch.gnuTriplet}` : undefined,
    ),
  };
  if (!(await onPath(program))) return { ...base, ok: false, detail: `${program} is not on PATH` };
  if (/g\+\+(-\d+(?:\.\d+)*)?$/.test(program)) {
    const expected = input.gccMajor ?? (await gccDriverMajor(input.cc));
    const major = await gccDriverMajor(input.cxx);
    if (expected !== undefined && major !== undefined && major !== expected) {
      const cc = withMajor(compilerProgram(input.cc), expected);
      const cxx = withMajor(program, expected);
      return {
        ...base,
        ok: false,
        detail: `${program} is g++ ${major}, the C compiler is gcc ${expected}: the plugins must be built by g++ ${expected}`,
        fix: {
          debian: `${installProgram(cxx, arch).debian}, and pass CC=${cc} (kpkg then uses ${cxx})`,
        },
      };
    }
  }
  const compiled = await probeCompile(input.cxx, '#include <new>\nint main() { return 0; }\n', {
    cxx: true,
    compileOnly: true,
  });
  return { ...base, ok: compiled.ok, detail: compiled.ok ? 'compiles' : compiled.output };
}
