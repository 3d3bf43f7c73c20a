/**
 * The target toolchain's programs — C and C++ compiler, ld, ar, objcopy, strip — decided in one place,
 * with the kernel's own rules (top-level Makefile: CC, LD, AR, OBJCOPY, STRIP under `ifneq ($(LLVM),)`,
 * else `$(CROSS_COMPILE)<tool>`), so rebuilding host programs, stripping them, building tools/ programs
 * and running the kernel's make all use the same ones.
 */
import type { ArchInfo } from '../arch/arch-table.js';
import { programWords } from './cmd-files.js';
import type { MakeVars } from './make-vars.js';

/** LLVM= as the top Makefile reads it. */
export interface LlvmSetting {
  /** The value for make's command line: "1", "-15", "/usr/lib/llvm-15/bin/". */
  value: string;
  /** LLVM_PREFIX: a directory ending in '/'. */
  prefix: string;
  /** LLVM_SUFFIX: a version such as "-15". */
  suffix: string;
}

export interface TargetTools {
  /** undefined: GNU binutils with CROSS_COMPILE. */
  llvm: LlvmSetting | undefined;
  /** CROSS_COMPILE, e.g. "aarch64-linux-gnu-"; empty for a native build. */
  crossCompile: string;
  /** The C compiler command, wrappers (ccache) and options (--sysroot=…) kept. */
  cc: string[];
  /** Its C++ counterpart: the same words, the program word mapped gcc → g++, clang → clang++. */
  cxx: string[];
  ld: string;
  ar: string;
  objcopy: string;
  strip: string;
}

/** LLVM_PREFIX and LLVM_SUFFIX came with 5.18 (the top Makefile; before it only LLVM=1 existed). */
function hasLlvmPrefixAndSuffix(kernelVersion: readonly number[]): boolean {
  const [major = 0, minor = 0] = kernelVersion;
  return major > 5 || (major === 5 && minor >= 18);
}

/**
 * The top Makefile's reading of LLVM=: a value ending in '/' is a directory prefix, one starting with
 * '-' a version suffix, anything else (LLVM=0 too, Documentation/kbuild/llvm.rst) plain LLVM=1; empty
 * means no LLVM. Before 5.18 every non-empty value meant the unversioned tools.
 */
export function readLlvmSetting(value: string | undefined, kernelVersion: readonly number[]): LlvmSetting | undefined {
  if (value === undefined || value === '') return undefined;
  const flexible = hasLlvmPrefixAndSuffix(kernelVersion);
  if (flexible && value.endsWith('/')) return { value, prefix: value, suffix: '' };
  if (flexible && value.startsWith('-')) return { value, prefix: '', suffix: value };
  return { value, prefix: '', suffix: '' };
}

/**
 * The LLVM= a build linked with ld.lld most likely had, from the clang it recorded: `clang-15` comes
 * from LLVM=-15, `/usr/lib/llvm-15/bin/clang` from LLVM=/usr/lib/llvm-15/bin/ (as the top Makefile
 * composes CC); anything else from LLVM=1.
 */
export function llvmValueOfCompiler(compiler: string, kernelVersion: readonly number[]): string {
  const m = /^(.*\/)?clang(-\d+)?$/.exec(compiler);
  if (m === null || !hasLlvmPrefixAndSuffix(kernelVersion)) return '1';
  return m[1] ?? m[2] ?? '1';
}

/** "aarch64-linux-gnu-gcc" → "aarch64-linux-gnu-"; "gcc-12" → ""; "/opt/x/bin/arm-linux-gnueabihf-gcc" → "/opt/x/bin/arm-linux-gnueabihf-". */
export function crossPrefixOf(compiler: string): string {
  const m = /^(.*-)(?:gcc|cc|clang)(?:-\d+(?:\.\d+)*)?$/.exec(compiler);
  return m?.[1] ?? '';
}

/** The program word of a compiler command: the last word before the first option (`ccache gcc -m64` → gcc). */
function programIndex(cc: readonly string[]): number {
  return programWords(cc).length - 1;
}

/** C compiler names (after a '/' or a cross prefix's '-', with a version suffix) and their C++ compilers. */
const CXX_OF_CC: readonly (readonly [RegExp, string])[] = [
  [/(^|[/-])gcc((?:-\d+(?:\.\d+)*)?)$/, 'g++'],
  [/(^|[/-])clang((?:-\d+(?:\.\d+)*)?)$/, 'clang++'],
  [/(^|[/-])cc()$/, 'c++'],
];

/**
 * The C++ compiler for a C compiler command: only the program word changes (gcc → g++, clang → clang++,
 * cc → c++, version suffixes kept); wrappers before it and options after it stay. A program word of no
 * known family becomes `fallback`.
 */
export function cxxCommand(cc: readonly string[], fallback: string): string[] {
  const i = programIndex(cc);
  const program = cc[i] ?? '';
  const family = CXX_OF_CC.find(([c]) => c.test(program));
  const cxx = family === undefined ? fallback : program.replace(family[0], `$1${family[1]}$2`);
  return i < 0 ? [cxx] : cc.map((w, k) => (k === i ? cxx : w));
}

export interface TargetToolFacts {
  kind: 'gcc' | 'clang';
  /** The compiler words the build recorded (programWords of init/main.o's command), when it did. */
  recordedCc: string[] | undefined;
  /** clang's --target= from the recorded command. */
  clangTarget: string | undefined;
  /** CONFIG_CC_VERSION_TEXT: its first word names gcc when nothing was recorded. */
  versionText: string;
  /** CONFIG_LD_IS_LLD: the build linked with ld.lld, as LLVM= does. */
  ldIsLld: boolean;
  kernelVersion: readonly number[];
}

/**
 * The target tools for a tree and the make variables given to kpkg (which win, as on make's command
 * line): CC= given, else the recorded compiler, else what LLVM= or CROSS_COMPILE= name.
 */
export function decideTargetTools(facts: TargetToolFacts, vars: MakeVars = {}): TargetTools {
  const given = vars.CC?.split(/\s+/).filter((w) => w !== '');
  const recorded = given ?? facts.recordedCc;
  const recordedProgram = recorded?.[programIndex(recorded)] ?? '';
  const llvm =
    vars.LLVM !== undefined
      ? readLlvmSetting(vars.LLVM, facts.kernelVersion)
      : facts.ldIsLld
        ? readLlvmSetting(llvmValueOfCompiler(recordedProgram, facts.kernelVersion), facts.kernelVersion)
        : undefined;
  const llvmTool = (name: string): string => `${llvm?.prefix ?? ''}${name}${llvm?.suffix ?? ''}`;
  const cc =
    recorded ??
    (llvm !== undefined || facts.kind === 'clang'
      ? [llvmTool('clang')]
      : [
          vars.CROSS_COMPILE === undefined
            ? (facts.versionText.split(' ')[0] ?? '') || 'gcc'
            : `${vars.CROSS_COMPILE}gcc`,
        ]);
  const program = cc[programIndex(cc)] ?? '';
  const crossCompile =
    vars.CROSS_COMPILE ??
    (facts.kind === 'gcc' ? crossPrefixOf(program) : facts.clangTarget === undefined ? '' : `${facts.clangTarget}-`);
  const binutil = (gnu: string, lvm: string): string => (llvm === undefined ? `${crossCompile}${gnu}` : llvmTool(lvm));
  return {
    llvm,
    crossCompile,
    cc,
    cxx: cxxCommand(cc, facts.kind === 'clang' ? llvmTool('clang++') : `${crossCompile}g++`),
    ld: binutil('ld', 'ld.lld'),
    ar: binutil('ar', 'llvm-ar'),
    objcopy: binutil('objcopy', 'llvm-objcopy'),
    strip: binutil('strip', 'llvm-strip'),
  };
}

/**
 * The target C and C++ compiler commands for building userspace programs (the host programs
 * rebuilt for the target): clang gets the build's --target= and, for an ld.lld build, -fuse-ld=lld;
 * `sysroot` (a target root with libelf, zlib, libssl) is passed as --sysroot=.
 */
export function targetCompilers(
  toolchain: { kind: 'gcc' | 'clang'; clangTarget: string | undefined; llvm: boolean; tools: TargetTools },
  arch: ArchInfo,
  sysroot?: string,
): { c: string[]; cxx: string[] } {
  const root = sysroot === undefined ? [] : [`--sysroot=${sysroot}`];
  const extra =
    toolchain.kind === 'clang'
      ? [`--target=${toolchain.clangTarget ?? arch.gnuTriplet}`, ...(toolchain.llvm ? ['-fuse-ld=lld'] : []), ...root]
      : root;
  return { c: [...toolchain.tools.cc, ...extra], cxx: [...toolchain.tools.cxx, ...extra] };
}
